;; The dense head's training loops in WebAssembly SIMD (dense-head-kernels.ts wraps them): a matrix product and an
;; Adam update, on the memory the module imports. Every offset and stride below is in bytes.
;; Compiled into dense-head-kernels-wasm.ts by `npm run build:kernels` (scripts/build-kernels.mjs).
;;
;; Why not tfjs: on this head (inputs of 1,280 numbers, 100 hidden units, batches of 16) training the same network
;; with tf.layers + Adam in a worker took about 10 times as long as these loops (5.5x to 12.9x, docs/kernels.md).
;; The product keeps four rows by eight columns of C in SIMD registers.
(module
  (import "env" "memory" (memory 1))

  ;; C = A B for `rows` a multiple of 4: A[i][k] at a + i aRowStride + k aColStride (so a transposed A needs no
  ;; copy), B of depth x width and C of rows x width, row after row; width a multiple of 8. Four rows by eight
  ;; columns of C per pass over depth.
  (func (export "matmul4")
    (param $a i32) (param $aRowStride i32) (param $aColStride i32) (param $b i32) (param $c i32)
    (param $rows i32) (param $depth i32) (param $width i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pa i32) (local $pb i32) (local $bStride i32)
    (local $out i32) (local $rowOffset2 i32) (local $rowOffset3 i32)
    (local $b0 v128) (local $b1 v128) (local $splat v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $bStride (i32.shl (local.get $width) (i32.const 2)))
    (local.set $rowOffset2 (i32.shl (local.get $aRowStride) (i32.const 1)))
    (local.set $rowOffset3 (i32.mul (local.get $aRowStride) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $columnsDone (loop $columnLoop
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $c00 (f32x4.splat (f32.const 0)))
        (local.set $c01 (f32x4.splat (f32.const 0)))
        (local.set $c10 (f32x4.splat (f32.const 0)))
        (local.set $c11 (f32x4.splat (f32.const 0)))
        (local.set $c20 (f32x4.splat (f32.const 0)))
        (local.set $c21 (f32x4.splat (f32.const 0)))
        (local.set $c30 (f32x4.splat (f32.const 0)))
        (local.set $c31 (f32x4.splat (f32.const 0)))
        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowStride))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $depthDone (loop $depthLoop
          (br_if $depthDone (i32.ge_u (local.get $k) (local.get $depth)))
          (local.set $b0 (v128.load align=4 (local.get $pb)))
          (local.set $b1 (v128.load offset=16 align=4 (local.get $pb)))
          (local.set $splat (v128.load32_splat align=4 (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $splat) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $splat) (local.get $b1))))
          (local.set $splat (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $aRowStride))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $splat) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $splat) (local.get $b1))))
          (local.set $splat (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $rowOffset2))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $splat) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $splat) (local.get $b1))))
          (local.set $splat (v128.load32_splat align=4 (i32.add (local.get $pa) (local.get $rowOffset3))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $splat) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $splat) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (local.get $aColStride)))
          (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $depthLoop)))
        ;; C[i + r][j ...] at c + ((i + r) width + j) 4
        (local.set $out (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $width)) (local.get $j)) (i32.const 2))))
        (v128.store align=4 (local.get $out) (local.get $c00))
        (v128.store offset=16 align=4 (local.get $out) (local.get $c01))
        (local.set $out (i32.add (local.get $out) (local.get $bStride)))
        (v128.store align=4 (local.get $out) (local.get $c10))
        (v128.store offset=16 align=4 (local.get $out) (local.get $c11))
        (local.set $out (i32.add (local.get $out) (local.get $bStride)))
        (v128.store align=4 (local.get $out) (local.get $c20))
        (v128.store offset=16 align=4 (local.get $out) (local.get $c21))
        (local.set $out (i32.add (local.get $out) (local.get $bStride)))
        (v128.store align=4 (local.get $out) (local.get $c30))
        (v128.store offset=16 align=4 (local.get $out) (local.get $c31))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $columnLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rowLoop))))

  ;; The same product one row of C at a time, for the rows left over after matmul4.
  (func (export "matmul1")
    (param $a i32) (param $aRowStride i32) (param $aColStride i32) (param $b i32) (param $c i32)
    (param $rows i32) (param $depth i32) (param $width i32)
    (local $i i32) (local $j i32) (local $k i32) (local $pa i32) (local $pb i32) (local $bStride i32) (local $out i32)
    (local $splat v128) (local $c0 v128) (local $c1 v128)
    (local.set $bStride (i32.shl (local.get $width) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $columnsDone (loop $columnLoop
        (br_if $columnsDone (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $c0 (f32x4.splat (f32.const 0)))
        (local.set $c1 (f32x4.splat (f32.const 0)))
        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRowStride))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $depthDone (loop $depthLoop
          (br_if $depthDone (i32.ge_u (local.get $k) (local.get $depth)))
          (local.set $splat (v128.load32_splat align=4 (local.get $pa)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $splat) (v128.load align=4 (local.get $pb)))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $splat) (v128.load offset=16 align=4 (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (local.get $aColStride)))
          (local.set $pb (i32.add (local.get $pb) (local.get $bStride)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $depthLoop)))
        (local.set $out (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $width)) (local.get $j)) (i32.const 2))))
        (v128.store align=4 (local.get $out) (local.get $c0))
        (v128.store offset=16 align=4 (local.get $out) (local.get $c1))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $columnLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowLoop))))

  ;; One Adam step on `count` parameters (a multiple of 4) at p, moments at m and v, gradient at g:
  ;; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g g; p -= stepSize m / (sqrt(v) + epsilon).
  ;; The caller folds both bias corrections into stepSize and epsilon.
  (func (export "adam")
    (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $count i32)
    (param $beta1 f32) (param $beta2 f32) (param $rest1 f32) (param $rest2 f32) (param $stepSize f32) (param $epsilon f32)
    (local $offset i32) (local $end i32)
    (local $vBeta1 v128) (local $vBeta2 v128) (local $vRest1 v128) (local $vRest2 v128) (local $vStep v128) (local $vEpsilon v128)
    (local $grad v128) (local $first v128) (local $second v128)
    (local.set $vBeta1 (f32x4.splat (local.get $beta1)))
    (local.set $vBeta2 (f32x4.splat (local.get $beta2)))
    (local.set $vRest1 (f32x4.splat (local.get $rest1)))
    (local.set $vRest2 (f32x4.splat (local.get $rest2)))
    (local.set $vStep (f32x4.splat (local.get $stepSize)))
    (local.set $vEpsilon (f32x4.splat (local.get $epsilon)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $offset (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
      (local.set $grad (v128.load align=4 (i32.add (local.get $g) (local.get $offset))))
      (local.set $first
        (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $m) (local.get $offset))) (local.get $vBeta1))
          (f32x4.mul (local.get $grad) (local.get $vRest1))))
      (v128.store align=4 (i32.add (local.get $m) (local.get $offset)) (local.get $first))
      (local.set $second
        (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $v) (local.get $offset))) (local.get $vBeta2))
          (f32x4.mul (f32x4.mul (local.get $grad) (local.get $grad)) (local.get $vRest2))))
      (v128.store align=4 (i32.add (local.get $v) (local.get $offset)) (local.get $second))
      (v128.store align=4 (i32.add (local.get $p) (local.get $offset))
        (f32x4.sub
          (v128.load align=4 (i32.add (local.get $p) (local.get $offset)))
          (f32x4.mul (local.get $vStep)
            (f32x4.div (local.get $first) (f32x4.add (f32x4.sqrt (local.get $second)) (local.get $vEpsilon))))))
      (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
      (br $next))))

  ;; adam, with the gradient and both moments below FLUSH's limits (dense-head-kernels.ts: 1e-17, 1e-30, 1e-35)
  ;; set to 0: without it, moments that stopped moving decay into subnormal floats, on which the CPU is tens of
  ;; times slower. A lane is kept where |x| >= limit, so a NaN lane is set to 0 too; the steps that do not flush
  ;; (FLUSH_EVERY in dense-head-steps.ts) carry a NaN into the weights, where the loss check finds it.
  (func (export "adamFlush")
    (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $count i32)
    (param $beta1 f32) (param $beta2 f32) (param $rest1 f32) (param $rest2 f32) (param $stepSize f32) (param $epsilon f32)
    (local $offset i32) (local $end i32)
    (local $vBeta1 v128) (local $vBeta2 v128) (local $vRest1 v128) (local $vRest2 v128) (local $vStep v128) (local $vEpsilon v128)
    (local $grad v128) (local $first v128) (local $second v128)
    (local $flushGradient v128) (local $flushFirst v128) (local $flushSecond v128)
    (local.set $flushGradient (f32x4.splat (f32.const 1e-17)))
    (local.set $flushFirst (f32x4.splat (f32.const 1e-30)))
    (local.set $flushSecond (f32x4.splat (f32.const 1e-35)))
    (local.set $vBeta1 (f32x4.splat (local.get $beta1)))
    (local.set $vBeta2 (f32x4.splat (local.get $beta2)))
    (local.set $vRest1 (f32x4.splat (local.get $rest1)))
    (local.set $vRest2 (f32x4.splat (local.get $rest2)))
    (local.set $vStep (f32x4.splat (local.get $stepSize)))
    (local.set $vEpsilon (f32x4.splat (local.get $epsilon)))
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (local.set $offset (i32.const 0))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
      (local.set $grad (v128.load align=4 (i32.add (local.get $g) (local.get $offset))))
      (local.set $grad (v128.and (local.get $grad) (f32x4.ge (f32x4.abs (local.get $grad)) (local.get $flushGradient))))
      (local.set $first
        (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $m) (local.get $offset))) (local.get $vBeta1))
          (f32x4.mul (local.get $grad) (local.get $vRest1))))
      (local.set $first (v128.and (local.get $first) (f32x4.ge (f32x4.abs (local.get $first)) (local.get $flushFirst))))
      (v128.store align=4 (i32.add (local.get $m) (local.get $offset)) (local.get $first))
      (local.set $second
        (f32x4.add
          (f32x4.mul (v128.load align=4 (i32.add (local.get $v) (local.get $offset))) (local.get $vBeta2))
          (f32x4.mul (f32x4.mul (local.get $grad) (local.get $grad)) (local.get $vRest2))))
      (local.set $second (v128.and (local.get $second) (f32x4.ge (f32x4.abs (local.get $second)) (local.get $flushSecond))))
      (v128.store align=4 (i32.add (local.get $v) (local.get $offset)) (local.get $second))
      (v128.store align=4 (i32.add (local.get $p) (local.get $offset))
        (f32x4.sub
          (v128.load align=4 (i32.add (local.get $p) (local.get $offset)))
          (f32x4.mul (local.get $vStep)
            (f32x4.div (local.get $first) (f32x4.add (f32x4.sqrt (local.get $second)) (local.get $vEpsilon))))))
      (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
      (br $next))))
)
