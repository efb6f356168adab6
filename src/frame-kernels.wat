;; The camera frame's scaling loops, in WebAssembly SIMD (compiled by scripts/build-kernels.mjs into
;; frame-kernels-wasm.ts). Pixels are RGBA bytes. Every buffer has 16 bytes of slack after its end, because
;; blend_rows reads and writes whole groups of four pixels.
(module
  (memory (export "memory") 1)

  ;; dst[y][x] = the mean of the 2 x 2 block of src (size x size) at (2y, 2x), halves rounded down, for
  ;; y, x < size / 2. dst may be src: each block is read before its mean is written at a lower address.
  (func (export "halve") (param $src i32) (param $size i32) (param $dst i32)
    (local $half i32) (local $stride i32) (local $top i32) (local $rowEnd i32) (local $end i32) (local $v v128)
    (local.set $half (i32.shr_u (local.get $size) (i32.const 1)))
    (local.set $stride (i32.shl (local.get $size) (i32.const 2)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $half) (local.get $half)) (i32.const 2))))
    (local.set $top (local.get $src))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $dst) (i32.shl (local.get $half) (i32.const 2))))
        (loop $pixel
          ;; Two pixels of each row, widened to 16 bits: [r0 g0 b0 a0 r1 g1 b1 a1], top plus bottom.
          (local.set $v (i16x8.add
            (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $top)))
            (i16x8.extend_low_i8x16_u (v128.load64_zero (i32.add (local.get $top) (local.get $stride))))))
          ;; Left plus right, plus one, over four.
          (local.set $v (i16x8.shr_u
            (i16x8.add
              (i16x8.add (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
              (v128.const i16x8 1 1 1 1 1 1 1 1))
            (i32.const 2)))
          (i32.store (local.get $dst) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $v) (local.get $v))))
          (local.set $top (i32.add (local.get $top) (i32.const 8)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (br_if $pixel (i32.lt_u (local.get $dst) (local.get $rowEnd))))
        ;; The loop read rows 2y and 2y + 1 through $top and $top + stride: skip the second.
        (local.set $top (i32.add (local.get $top) (local.get $stride)))
        (br $row))))

  ;; out[i] = (a[i] * (256 - weight) + b[i] * weight) >> 8 for the bytes of `pixels` pixels (rounded up to 4).
  (func (export "blend_rows") (param $a i32) (param $b i32) (param $pixels i32) (param $weight i32) (param $out i32)
    (local $end i32) (local $keep v128) (local $take v128) (local $x v128) (local $y v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $pixels) (i32.const 2))))
    (local.set $keep (i16x8.splat (i32.sub (i32.const 256) (local.get $weight))))
    (local.set $take (i16x8.splat (local.get $weight)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $x (v128.load (local.get $a)))
        (local.set $y (v128.load (local.get $b)))
        ;; Each 16-bit sum is at most 255 x 256, so wrapping 16-bit arithmetic is exact.
        (v128.store (local.get $out)
          (i8x16.narrow_i16x8_u
            (i16x8.shr_u
              (i16x8.add
                (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $x)) (local.get $keep))
                (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $y)) (local.get $take)))
              (i32.const 8))
            (i16x8.shr_u
              (i16x8.add
                (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $x)) (local.get $keep))
                (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $y)) (local.get $take)))
              (i32.const 8))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $group))))

  ;; out[x] = row[first[x]] * (256 - weight[x]) + row[first[x] + 1] * weight[x], >> 8, opaque, for `count`
  ;; pixels; taps holds (first[x] x 4, weight[x]) as pairs of i32.
  (func (export "blend_columns") (param $row i32) (param $taps i32) (param $count i32) (param $out i32)
    (local $end i32) (local $weight i32) (local $v v128) (local $w v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $pixel
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $weight (i32.load offset=4 (local.get $taps)))
        ;; [keep x 4, weight x 4] against [left pixel, right pixel].
        (local.set $w (i16x8.replace_lane 4 (i16x8.splat (i32.sub (i32.const 256) (local.get $weight))) (local.get $weight)))
        (local.set $w (i16x8.replace_lane 5 (local.get $w) (local.get $weight)))
        (local.set $w (i16x8.replace_lane 6 (local.get $w) (local.get $weight)))
        (local.set $w (i16x8.replace_lane 7 (local.get $w) (local.get $weight)))
        (local.set $v (i16x8.mul
          (i16x8.extend_low_i8x16_u (v128.load64_zero (i32.add (local.get $row) (i32.load (local.get $taps)))))
          (local.get $w)))
        (local.set $v (i16x8.shr_u
          (i16x8.add (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
          (i32.const 8)))
        (i32.store (local.get $out)
          (i32.or (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $v) (local.get $v))) (i32.const 0xff000000)))
        (local.set $taps (i32.add (local.get $taps) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $pixel))))
)
