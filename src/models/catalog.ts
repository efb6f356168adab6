/** The MobileNets the app can embed frames with. Every entry is a genuine ImageNet-pretrained network. */

export type ModelId = 'mobilenet-v2-0.35' | 'mobilenet-v1-0.25' | 'mobilenet-v2-1.0';

export interface ModelSpec {
  readonly id: ModelId;
  readonly name: string;
  readonly summary: string;
  readonly format: 'graph' | 'layers';
  /** Where online users load it from. */
  readonly publicUrl: string;
  /** TF Hub URLs need `?tfjs-format=file` appended, which tfjs does when `fromTFHub` is set. */
  readonly fromTFHub: boolean;
  /** Folder of this model inside a local mirror (MOBILENET_MODELS_DIR). */
  readonly mirrorFolder: string;
  readonly embeddingDim: number;
  /** Pixel values [0, 255] are mapped linearly onto this range before the network sees them. */
  readonly inputRange: readonly [number, number];
  /** Graph models: the node whose activation is the embedding (the same one `mobilenet.infer(img, true)` reads). */
  readonly embeddingNode?: string;
  /** Layers models: the last layer kept when the network still has its spatial output (then pooled). */
  readonly featureLayer?: string;
  /** Bumped when the files behind a model change, so stale browser caches are not used. */
  readonly revision: number;
}

export const INPUT_SIZE = 224;

export const MODEL_CATALOG: readonly ModelSpec[] = [
  {
    id: 'mobilenet-v2-0.35',
    name: 'MobileNet V2 0.35',
    summary: "Teachable Machine's own base network: small and fast, 1,280 features",
    format: 'layers',
    publicUrl:
      'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
    fromTFHub: false,
    mirrorFolder: 'mobilenet_v2_0.35_224_tm_features',
    embeddingDim: 1280,
    inputRange: [-1, 1],
    featureLayer: 'out_relu',
    revision: 1,
  },
  {
    id: 'mobilenet-v1-0.25',
    name: 'MobileNet V1 0.25',
    summary: 'The smallest and fastest: 256 features',
    format: 'graph',
    publicUrl: 'https://tfhub.dev/google/imagenet/mobilenet_v1_025_224/classification/1',
    fromTFHub: true,
    mirrorFolder: 'mobilenet_v1_0.25_224_tfhub_graph',
    embeddingDim: 256,
    inputRange: [0, 1],
    embeddingNode: 'module_apply_default/MobilenetV1/Logits/global_pool',
    revision: 1,
  },
  {
    id: 'mobilenet-v2-1.0',
    name: 'MobileNet V2 1.0',
    summary: 'The largest: what @tensorflow-models/mobilenet loads by default, 1,280 features',
    format: 'graph',
    publicUrl: 'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/classification/2',
    fromTFHub: true,
    mirrorFolder: 'mobilenet_v2_1.0_224_tfhub_graph_from_tflite',
    embeddingDim: 1280,
    inputRange: [0, 1],
    embeddingNode: 'module_apply_default/MobilenetV2/Logits/AvgPool',
    revision: 1,
  },
];

export const DEFAULT_MODEL_ID: ModelId = 'mobilenet-v2-0.35';

export function findModel(id: string): ModelSpec | undefined {
  return MODEL_CATALOG.find((spec) => spec.id === id);
}

/** The URL to fetch `spec` from: the local mirror when one is configured, else the public one. */
export function modelUrl(spec: ModelSpec, mirrorBase: string | null): { url: string; fromTFHub: boolean } {
  if (mirrorBase) {
    const base = mirrorBase.endsWith('/') ? mirrorBase : `${mirrorBase}/`;
    return { url: `${base}${spec.mirrorFolder}/model.json`, fromTFHub: false };
  }
  return { url: spec.publicUrl, fromTFHub: spec.fromTFHub };
}
