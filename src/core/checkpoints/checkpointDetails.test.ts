import { describe, expect, it } from 'vitest';
import { applyDetails, detailPaths, parseTrainerState, readHeadsCommand } from './checkpointDetails';
import { deepSpeedTree, hfTrainerTree } from './checkpointTrees.testkit';
import { recognise } from './recognise';

const opts = { disabled: [], extraPatterns: [] };

/** What the HF Trainer writes (json.dumps(indent=2, sort_keys=True)): log_history after the fields we read. */
function trainerState(step: number, logEntries: number): string {
  const log = Array.from({ length: logEntries }, (_, i) => ({ epoch: i / 100, learning_rate: 2e-5, loss: 1.5 - i / 1e4, step: i * 10 }));
  return JSON.stringify({ best_metric: 0.4231, best_model_checkpoint: `runs/llama/checkpoint-${step}`, epoch: 1.2, eval_steps: 500, global_step: step, is_hyper_param_search: false, log_history: log, max_steps: 9000 }, null, 2);
}

describe('checkpoint details', () => {
  it('reads global_step and the best metric through zod', () => {
    expect(parseTrainerState(trainerState(1500, 3))).toEqual({ globalStep: 1500, bestMetric: 0.4231, bestModelCheckpoint: 'runs/llama/checkpoint-1500' });
    expect(parseTrainerState(JSON.stringify({ global_step: 'ten' }))).toBeUndefined();
    expect(parseTrainerState(JSON.stringify({ global_step: 3, best_metric: null }))).toEqual({ globalStep: 3 });
  });

  it('a head cut short by the size bound still gives the fields before log_history', () => {
    const full = trainerState(2000, 5000);
    expect(full.length).toBeGreaterThan(64 * 1024);
    expect(parseTrainerState(full.slice(0, 64 * 1024))).toEqual({ globalStep: 2000, bestMetric: 0.4231 });
  });

  it('reads the heads of several files in one exec, framed by NULs', () => {
    const cmd = readHeadsCommand(['a b/trainer_state.json', "it's/latest"], 100);
    expect(cmd.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(cmd.argv.slice(-3)).toEqual(['100', 'a b/trainer_state.json', "it's/latest"]);
    const heads = cmd.parse({ stdout: 'a b/trainer_state.json\0{"global_step": 3}\0it\'s/latest\0global_step3\n\0', stderr: '', code: 0, signal: null });
    expect([...heads]).toEqual([
      ['a b/trainer_state.json', '{"global_step": 3}'],
      ["it's/latest", 'global_step3\n'],
    ]);
  });

  it('folds trainer_state.json into HF folders and tags the DeepSpeed folder `latest` names', () => {
    const found = recognise([...hfTrainerTree([500, 1000]), ...deepSpeedTree([100, 200], { t0: 0 })], opts);
    const paths = detailPaths('/w', found);
    expect(paths).toEqual(['/w/runs/llama/checkpoint-1000/trainer_state.json', '/w/runs/llama/checkpoint-500/trainer_state.json', '/w/ds_ckpt/latest']);
    const heads = new Map([
      ['/w/runs/llama/checkpoint-1000/trainer_state.json', trainerState(1002, 2)],
      ['/w/ds_ckpt/latest', 'global_step200\n'],
    ]);
    const detailed = applyDetails('/w', found, heads);
    expect(detailed.find((c) => c.path.endsWith('checkpoint-1000'))).toMatchObject({ step: 1002, trainerState: { bestMetric: 0.4231 } });
    expect(detailed.find((c) => c.path.endsWith('checkpoint-500'))?.step).toBe(500);
    expect(detailed.find((c) => c.path === 'ds_ckpt/global_step200')?.tag).toBe('latest');
    expect(detailed.find((c) => c.path === 'ds_ckpt/global_step100')?.tag).toBeUndefined();
  });
});
