/** The providers Remote GPU knows. Each has one folder under src/providers. */
export type ProviderId = 'lambda' | 'runpod' | 'vast' | 'ec2';
