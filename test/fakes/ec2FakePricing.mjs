// @ts-check
/**
 * The AWS Price List API's GetProducts for the fake EC2 (providers.md §4.2): JSON 1.1 protocol
 * (`X-Amz-Target: AWSPriceListService.GetProducts`), each PriceList element a JSON *string* built from the fixture
 * pricing-GetProducts.PriceList-item.decoded.json, filters TERM_MATCH / ANY_OF over product attributes.
 */
import { readFileSync } from 'node:fs';

const item = JSON.parse(readFileSync(new URL('../fixtures/providers/aws-ec2/pricing-GetProducts.PriceList-item.decoded.json', import.meta.url), 'utf8'));

/** @param {number} status @param {string} type @param {string} message @returns {import('./fakeHttp.mjs').FakeResponse} */
export function jsonError(status, type, message) {
  return { status, body: JSON.stringify({ __type: type, Message: message }), headers: { 'content-type': 'application/x-amz-json-1.1' } };
}

/**
 * @param {Record<string, import('./ec2Fake.mjs').Ec2FakeType>} types
 * @param {string} region
 * @param {unknown} body
 * @returns {import('./fakeHttp.mjs').FakeResponse}
 */
export function getProducts(types, region, body) {
  const b = /** @type {{ ServiceCode?: unknown, Filters?: { Type?: string, Field?: string, Value?: string }[] }} */ (typeof body === 'object' && body !== null ? body : {});
  if (b.ServiceCode !== 'AmazonEC2') return jsonError(400, 'InvalidParameterException', 'Input parameters are invalid. ServiceCode must be AmazonEC2 in this fake.');
  const products = Object.entries(types).map(([name, t]) => product(name, t, region));
  const matching = products.filter((p) => (b.Filters ?? []).every((f) => matches(p.product.attributes, f)));
  return { status: 200, body: JSON.stringify({ FormatVersion: 'aws_v1', PriceList: matching.map((p) => JSON.stringify(p)) }), headers: { 'content-type': 'application/x-amz-json-1.1' } };
}

/** @param {Record<string, string>} attributes @param {{ Type?: string, Field?: string, Value?: string }} f */
function matches(attributes, f) {
  const actual = attributes[f.Field ?? ''];
  if (f.Type === 'ANY_OF') return (f.Value ?? '').split(',').includes(actual ?? '');
  return actual === f.Value;
}

/** @param {string} name @param {import('./ec2Fake.mjs').Ec2FakeType} t @param {string} region */
function product(name, t, region) {
  const sku = `FAKE${name.replace(/[^a-z0-9]/gi, '').toUpperCase()}`.slice(0, 16);
  const p = JSON.parse(JSON.stringify(item));
  Object.assign(p.product.attributes, { instanceType: name, regionCode: region, usagetype: `BoxUsage:${name}`, vcpu: String(t.vcpus), gpu: String(t.count) });
  p.product.sku = sku;
  const dimension = { unit: 'Hrs', endRange: 'Inf', description: `$${t.price} per On Demand Linux ${name} Instance Hour`, appliesTo: [], rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`, beginRange: '0', pricePerUnit: { USD: t.price } };
  p.terms = { OnDemand: { [`${sku}.JRTCKXETXF`]: { priceDimensions: { [dimension.rateCode]: dimension }, sku, effectiveDate: '2026-08-01T00:00:00Z', offerTermCode: 'JRTCKXETXF', termAttributes: {} } } };
  return p;
}
