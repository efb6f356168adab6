import { expect } from '@open-wc/testing';
import { UnknownCalibrator } from '../../../src/app/unknown-calibrator';
import { DEFAULT_VOTE } from '../../../src/classifier/knn/vote';

describe('UnknownCalibrator', () => {
  it('reads no examples in the task of the frame that starts a calibration', async () => {
    const reads: string[] = [];
    const calibrator = new UnknownCalibrator({
      modelId: () => 'mobilenet-v2-0.35',
      classIds: () => ['class-1', 'class-2'],
      dimension: () => 4,
      read: (_modelId, classId) => {
        reads.push(classId);
        return Promise.resolve(Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0));
      },
      vote: () => DEFAULT_VOTE,
      settled: () => Promise.resolve(),
    });
    calibrator.ruleFor('mobilenet-v2-0.35', 1, false);
    expect(reads, 'read in the frame’s task').to.deep.equal([]);
    await calibrator.recalibrate();
    expect(reads).to.deep.equal(['class-1', 'class-2']);
  });
});
