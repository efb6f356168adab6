;; The camera frame's scaling loops, in WebAssembly SIMD (compiled by scripts/build-kernels.mjs into
;; frame-kernels-wasm.ts). Pixels are RGBA bytes, except blend_rows' output: 16 bits a channel. Every buffer has
;; 16 bytes of slack after its end (blend_rows' output 32), because blend_rows reads and writes whole groups of four
;; pixels. Halves and blends round down, once per step, as Chromium's drawing of a video does (mipmaps, then one
;; bilinear blend): that gave the drawn crop's byte exactly for 92% of the values on real webcam frames, where
;; rounding the halves and each of the two blends gave 84%.
(module
  (memory (export "memory") 1)

  ;; dst[y][x] = the mean of the 2 x 2 block of src (size x size) at (2y, 2x), rounded down, for
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
          ;; Left plus right, over four.
          (local.set $v (i16x8.shr_u
            (i16x8.add (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
            (i32.const 2)))
          (i32.store (local.get $dst) (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $v) (local.get $v))))
          (local.set $top (i32.add (local.get $top) (i32.const 8)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
          (br_if $pixel (i32.lt_u (local.get $dst) (local.get $rowEnd))))
        ;; The loop read rows 2y and 2y + 1 through $top and $top + stride: skip the second.
        (local.set $top (i32.add (local.get $top) (local.get $stride)))
        (br $row))))

  ;; out[i] = a[i] * (256 - weight) + b[i] * weight, 16 bits each, for the bytes of `pixels` pixels (rounded up to 4):
  ;; not rounded, so that blend_columns rounds the two blends once.
  (func (export "blend_rows") (param $a i32) (param $b i32) (param $pixels i32) (param $weight i32) (param $out i32)
    (local $end i32) (local $keep v128) (local $take v128) (local $x v128) (local $y v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $pixels) (i32.const 3))))
    (local.set $keep (i16x8.splat (i32.sub (i32.const 256) (local.get $weight))))
    (local.set $take (i16x8.splat (local.get $weight)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $x (v128.load (local.get $a)))
        (local.set $y (v128.load (local.get $b)))
        ;; Each 16-bit sum is at most 255 x 256, so wrapping 16-bit arithmetic is exact.
        (v128.store (local.get $out)
          (i16x8.add
            (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $x)) (local.get $keep))
            (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $y)) (local.get $take))))
        (v128.store offset=16 (local.get $out)
          (i16x8.add
            (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $x)) (local.get $keep))
            (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $y)) (local.get $take))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $group))))

  ;; out[x] = (row[first[x]] * (256 - weight[x]) + row[first[x] + 1] * weight[x]) >> 16, opaque, for `count` pixels of
  ;; a row blend_rows wrote (16 bits a channel); taps holds 32 bytes a pixel: first[x] x 8 (i32), then from byte 16
  ;; the weights as i16 [256 - weight[x] x 4, weight[x] x 4], against [left pixel, right pixel].
  (func (export "blend_columns") (param $row i32) (param $taps i32) (param $count i32) (param $out i32)
    (local $end i32) (local $v v128) (local $w v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $pixel
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $w (v128.load offset=16 (local.get $taps)))
        (local.set $v (v128.load (i32.add (local.get $row) (i32.load (local.get $taps)))))
        ;; At most 255 x 256 x 256 per channel: 32 bits, then over 65536.
        (local.set $v (i32x4.shr_u
          (i32x4.add (i32x4.extmul_low_i16x8_u (local.get $v) (local.get $w)) (i32x4.extmul_high_i16x8_u (local.get $v) (local.get $w)))
          (i32.const 16)))
        (local.set $v (i16x8.narrow_i32x4_u (local.get $v) (local.get $v)))
        (i32.store (local.get $out)
          (i32.or (i32x4.extract_lane 0 (i8x16.narrow_i16x8_u (local.get $v) (local.get $v))) (i32.const 0xff000000)))
        (local.set $taps (i32.add (local.get $taps) (i32.const 32)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $pixel))))

  ;; dst[y][x] (RGBA, half x half) = the mean of the four pixels of the 2 x 2 block at (2y, 2x) of a 4:2:0 frame,
  ;; each converted to RGB (with the block's one chroma sample) and clamped first, rounded down: as
  ;; halve does to the converted frame. Luma rows are yStride bytes apart, chroma rows uvStride; half >= 8. With
  ;; $interleaved (NV12), U and V alternate in one plane at $u, and $v is not read.
  ;; R = clamp((ky (Y - yOffset) + kvr (V - 128)) / 64), G = ... - kug (U - 128) - kvg (V - 128), B = ... + kub (U - 128),
  ;; each k in Q15 after the shifts below (ky, kvr, kug, kvg for a value shifted left by 7, kub by 8).
  (func (export "halve_yuv420")
    (param $y i32) (param $yStride i32) (param $u i32) (param $v i32) (param $uvStride i32) (param $interleaved i32) (param $half i32)
    (param $yOffset i32) (param $ky i32) (param $kvr i32) (param $kug i32) (param $kvg i32) (param $kub i32) (param $dst i32)
    (local $row i32) (local $x i32) (local $at i32) (local $top v128) (local $bottom v128) (local $cu v128) (local $cv v128)
    (local $rv v128) (local $gu v128) (local $bu v128) (local $r v128) (local $g v128) (local $b v128) (local $l v128)
    (local $k v128) (local $offset v128) (local $rg v128) (local $uv v128) (local $ba v128) (local $out i32)
    (local.set $k (i16x8.splat (local.get $ky)))
    (local.set $offset (i16x8.splat (local.get $yOffset)))
    (block $rows
      (loop $nextRow
        (br_if $rows (i32.ge_u (local.get $row) (local.get $half)))
        (local.set $x (i32.const 0))
        (block $groups
          (loop $nextGroup
            (br_if $groups (i32.ge_u (local.get $x) (local.get $half)))
            ;; The last group of a row may overlap the one before: it writes the same values again.
            (if (i32.gt_u (i32.add (local.get $x) (i32.const 8)) (local.get $half))
              (then (local.set $x (i32.sub (local.get $half) (i32.const 8)))))
            (local.set $at (i32.add (i32.add (local.get $y) (i32.mul (i32.shl (local.get $row) (i32.const 1)) (local.get $yStride))) (i32.shl (local.get $x) (i32.const 1))))
            (local.set $top (v128.load (local.get $at)))
            (local.set $bottom (v128.load (i32.add (local.get $at) (local.get $yStride))))
            (if (local.get $interleaved)
              (then
                (local.set $uv (v128.load (i32.add (local.get $u) (i32.add (i32.mul (local.get $row) (local.get $uvStride)) (i32.shl (local.get $x) (i32.const 1))))))
                (local.set $cu (i8x16.shuffle 0 2 4 6 8 10 12 14 0 0 0 0 0 0 0 0 (local.get $uv) (local.get $uv)))
                (local.set $cv (i8x16.shuffle 1 3 5 7 9 11 13 15 0 0 0 0 0 0 0 0 (local.get $uv) (local.get $uv))))
              (else
                (local.set $at (i32.add (i32.mul (local.get $row) (local.get $uvStride)) (local.get $x)))
                (local.set $cu (v128.load64_zero (i32.add (local.get $u) (local.get $at))))
                (local.set $cv (v128.load64_zero (i32.add (local.get $v) (local.get $at))))))
            (local.set $cu (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $cu)) (v128.const i16x8 128 128 128 128 128 128 128 128)))
            (local.set $cv (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $cv)) (v128.const i16x8 128 128 128 128 128 128 128 128)))
            (local.set $rv (i16x8.q15mulr_sat_s (i16x8.shl (local.get $cv) (i32.const 7)) (i16x8.splat (local.get $kvr))))
            (local.set $gu (i16x8.add_sat_s
              (i16x8.q15mulr_sat_s (i16x8.shl (local.get $cu) (i32.const 7)) (i16x8.splat (local.get $kug)))
              (i16x8.q15mulr_sat_s (i16x8.shl (local.get $cv) (i32.const 7)) (i16x8.splat (local.get $kvg)))))
            (local.set $bu (i16x8.q15mulr_sat_s (i16x8.shl (local.get $cu) (i32.const 8)) (i16x8.splat (local.get $kub))))
            (local.set $r (v128.const i16x8 0 0 0 0 0 0 0 0))
            (local.set $g (v128.const i16x8 0 0 0 0 0 0 0 0))
            (local.set $b (v128.const i16x8 0 0 0 0 0 0 0 0))
            ;; The four luma samples of each block: even and odd columns of the top and the bottom row.
            (local.set $l (call $luma (i8x16.shuffle 0 2 4 6 8 10 12 14 0 0 0 0 0 0 0 0 (local.get $top) (local.get $top)) (local.get $offset) (local.get $k)))
            (local.set $r (i16x8.add (local.get $r) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $rv)))))
            (local.set $g (i16x8.add (local.get $g) (call $clamp (i16x8.sub_sat_s (local.get $l) (local.get $gu)))))
            (local.set $b (i16x8.add (local.get $b) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $bu)))))
            (local.set $l (call $luma (i8x16.shuffle 1 3 5 7 9 11 13 15 0 0 0 0 0 0 0 0 (local.get $top) (local.get $top)) (local.get $offset) (local.get $k)))
            (local.set $r (i16x8.add (local.get $r) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $rv)))))
            (local.set $g (i16x8.add (local.get $g) (call $clamp (i16x8.sub_sat_s (local.get $l) (local.get $gu)))))
            (local.set $b (i16x8.add (local.get $b) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $bu)))))
            (local.set $l (call $luma (i8x16.shuffle 0 2 4 6 8 10 12 14 0 0 0 0 0 0 0 0 (local.get $bottom) (local.get $bottom)) (local.get $offset) (local.get $k)))
            (local.set $r (i16x8.add (local.get $r) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $rv)))))
            (local.set $g (i16x8.add (local.get $g) (call $clamp (i16x8.sub_sat_s (local.get $l) (local.get $gu)))))
            (local.set $b (i16x8.add (local.get $b) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $bu)))))
            (local.set $l (call $luma (i8x16.shuffle 1 3 5 7 9 11 13 15 0 0 0 0 0 0 0 0 (local.get $bottom) (local.get $bottom)) (local.get $offset) (local.get $k)))
            (local.set $r (i16x8.add (local.get $r) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $rv)))))
            (local.set $g (i16x8.add (local.get $g) (call $clamp (i16x8.sub_sat_s (local.get $l) (local.get $gu)))))
            (local.set $b (i16x8.add (local.get $b) (call $clamp (i16x8.add_sat_s (local.get $l) (local.get $bu)))))
            (local.set $r (i8x16.narrow_i16x8_u (i16x8.shr_u (local.get $r) (i32.const 2)) (local.get $r)))
            (local.set $g (i8x16.narrow_i16x8_u (i16x8.shr_u (local.get $g) (i32.const 2)) (local.get $g)))
            (local.set $b (i8x16.narrow_i16x8_u (i16x8.shr_u (local.get $b) (i32.const 2)) (local.get $b)))
            (local.set $rg (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $r) (local.get $g)))
            (local.set $ba (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get $b) (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1)))
            (local.set $out (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $half)) (local.get $x)) (i32.const 2))))
            (v128.store (local.get $out) (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $rg) (local.get $ba)))
            (v128.store offset=16 (local.get $out) (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $rg) (local.get $ba)))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $nextGroup)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow))))

  ;; ky (Y - yOffset) in 1/64ths, plus 32 to round, for the 8 luma bytes in the low half of `bytes`.
  (func $luma (param $bytes v128) (param $offset v128) (param $k v128) (result v128)
    (i16x8.add_sat_s
      (i16x8.q15mulr_sat_s (i16x8.shl (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $bytes)) (local.get $offset)) (i32.const 7)) (local.get $k))
      (v128.const i16x8 32 32 32 32 32 32 32 32)))

  ;; (value + 32 already added) / 64, clamped to 0 .. 255.
  (func $clamp (param $value v128) (result v128)
    (i16x8.min_s (i16x8.max_s (i16x8.shr_s (local.get $value) (i32.const 6)) (v128.const i16x8 0 0 0 0 0 0 0 0))
      (v128.const i16x8 255 255 255 255 255 255 255 255)))
)

