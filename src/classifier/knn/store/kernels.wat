;; The k-NN store's inner loops, in WebAssembly SIMD (compiled by scripts/build-kernels.mjs into kernels-wasm.ts).
;; Every row starts on a 16-byte boundary and is `stride` bytes long, a multiple of 32 bytes; rows follow each
;; other. Padding is zeros, so it adds nothing to a sum.
(module
  ;; The page makes the memory; scripts/build-kernels.mjs also compiles a copy that imports it shared, for the
  ;; scan worker (scan-worker.ts) to read the same rows.
  (import "env" "memory" (memory 1 65536))

;; out[r] (i32) = sum over c of rows[r][c] (u8) * query[c] (i16), for `count` rows of `stride` bytes.
  ;; No overflow while 255 * max|query| * stride < 2^31 (the caller keeps |query| small enough for its stride).
  ;; Two rows at a time share each load of the query; an odd last row is done alone.
  (func (export "dots_u8") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $v v128) (local $w v128)
    (local $q0 v128) (local $q1 v128) (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (i32.add (local.get $out) (i32.const 4)) (local.get $end)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $b0 (v128.const i32x4 0 0 0 0))
        (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $q0 (v128.load (local.get $q)))
          (local.set $q1 (v128.load offset=16 (local.get $q)))
          (local.set $v (v128.load (local.get $p)))
          (local.set $w (v128.load (i32.add (local.get $p) (local.get $stride))))
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $q0))))
          (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $q1))))
          (local.set $b0 (i32x4.add (local.get $b0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $w)) (local.get $q0))))
          (local.set $b1 (i32x4.add (local.get $b1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $w)) (local.get $q1))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $a0 (i32x4.add (local.get $a0) (local.get $a1)))
        (local.set $b0 (i32x4.add (local.get $b0) (local.get $b1)))
        (i32.store (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
            (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0)))))
        (i32.store offset=4 (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $b0)) (i32x4.extract_lane 1 (local.get $b0)))
            (i32.add (i32x4.extract_lane 2 (local.get $b0)) (i32x4.extract_lane 3 (local.get $b0)))))
        (local.set $rows (i32.add (local.get $rowEnd) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $pair)))
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $v (v128.load (local.get $p)))
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $v)) (v128.load (local.get $q)))))
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $v)) (v128.load offset=16 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (i32.store (local.get $out)
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $a0)) (i32x4.extract_lane 1 (local.get $a0)))
            (i32.add (i32x4.extract_lane 2 (local.get $a0)) (i32x4.extract_lane 3 (local.get $a0))))))))

  ;; out[r] (f32) = sum over c of rows[r][c] * query[c], all f32, for `count` rows of `stride` bytes.
  (func (export "dots_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $acc0 v128) (local $acc1 v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $acc0 (f32x4.add (local.get $acc0)
            (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
        (local.set $rows (local.get $rowEnd))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

;; out[r] (f32) = sum over c of sqrt(max(rows[r][c], 0)) * query[c]: the dot of the row's power transform
  ;; (before its scaling to unit length) with the query.
  (func (export "dots_sqrt_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $acc0 v128) (local $acc1 v128) (local $zero v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $acc0 (f32x4.add (local.get $acc0)
            (f32x4.mul (f32x4.sqrt (f32x4.max (v128.load (local.get $p)) (local.get $zero))) (v128.load (local.get $q)))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul (f32x4.sqrt (f32x4.max (v128.load offset=16 (local.get $p)) (local.get $zero))) (v128.load offset=16 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
        (local.set $rows (local.get $rowEnd))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; out (one row of `stride` bytes, f32) = sum over r of coefficients[r] (f32) * rows[r], for `count` rows.
  (func (export "combine_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $coefficients i32) (param $out i32)
    (local $p i32) (local $o i32) (local $outEnd i32) (local $c v128) (local $r i32)
    (local.set $outEnd (i32.add (local.get $out) (local.get $stride)))
    (local.set $o (local.get $out))
    (loop $zero
      (v128.store (local.get $o) (v128.const f32x4 0 0 0 0))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br_if $zero (i32.lt_u (local.get $o) (local.get $outEnd))))
    (local.set $p (local.get $rows))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $c (f32x4.splat (f32.load (i32.add (local.get $coefficients) (i32.shl (local.get $r) (i32.const 2))))))
        (local.set $o (local.get $out))
        (loop $column
          (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (f32x4.mul (local.get $c) (v128.load (local.get $p)))))
          (v128.store offset=16 (local.get $o)
            (f32x4.add (v128.load offset=16 (local.get $o)) (f32x4.mul (local.get $c) (v128.load offset=16 (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $o) (local.get $outEnd))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

;; out (one row of `stride` bytes) = sum over r of c[r] * rows[r], where c[r] = rows[r] . query is also written
  ;; to coefficients[r]: dots_f32 then combine_f32 in one pass, each row read again while it is in cache, with the
  ;; same sums in the same order, so the same bits.
  (func (export "project_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $coefficients i32) (param $out i32)
    (local $p i32) (local $o i32) (local $q i32) (local $outEnd i32) (local $c v128) (local $r i32) (local $acc0 v128) (local $acc1 v128) (local $dot f32)
    (local.set $outEnd (i32.add (local.get $out) (local.get $stride)))
    (local.set $o (local.get $out))
    (loop $zero
      (v128.store (local.get $o) (v128.const f32x4 0 0 0 0))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br_if $zero (i32.lt_u (local.get $o) (local.get $outEnd))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $rows))
        (local.set $q (local.get $query))
        (local.set $o (local.get $out))
        (loop $column
          (local.set $acc0 (f32x4.add (local.get $acc0)
            (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $q)))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $o) (local.get $outEnd))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
        (local.set $dot
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
        (f32.store (i32.add (local.get $coefficients) (i32.shl (local.get $r) (i32.const 2))) (local.get $dot))
        (local.set $c (f32x4.splat (local.get $dot)))
        (local.set $p (local.get $rows))
        (local.set $o (local.get $out))
        (loop $column
          (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (f32x4.mul (local.get $c) (v128.load (local.get $p)))))
          (v128.store offset=16 (local.get $o)
            (f32x4.add (v128.load offset=16 (local.get $o)) (f32x4.mul (local.get $c) (v128.load offset=16 (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $o (i32.add (local.get $o) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $o) (local.get $outEnd))))
        (local.set $rows (local.get $p))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The exact f32 rows, rebuilt from the 8-bit index and the residual planes (class-rows.ts): for each of `count`
  ;; numbers (a multiple of 4) with index byte q, bits = residual + (q = 0 ? 0 : bits(((q + 0.5) x t)^2) + $offset),
  ;; where the residual is lo[c] (u16) + hi[c] (u8) x 2^16. The f32 arithmetic is the encoder's, so it is exact.
  (func (export "decode_row") (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32) (param $out i32)
    (local $end i32) (local $step v128) (local $shift v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $step (f32x4.splat (local.get $t)))
    (local.set $shift (i32x4.splat (local.get $offset)))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (v128.store (local.get $out) (call $decode4 (local.get $index) (local.get $lo) (local.get $hi) (local.get $step) (local.get $shift)))
        (local.set $index (i32.add (local.get $index) (i32.const 4)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 8)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $four))))

  ;; The four numbers at index[0..3], lo[0..3], hi[0..3], decoded as decode_row does.
  (func $decode4 (param $index i32) (param $lo i32) (param $hi i32) (param $t v128) (param $offset v128) (result v128)
    (local $q v128) (local $edge v128)
    (local.set $q (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $index)))))
    (local.set $edge (f32x4.mul (f32x4.add (f32x4.convert_i32x4_u (local.get $q)) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $t)))
    (i32x4.add
      (v128.and
        (i32x4.add (f32x4.mul (local.get $edge) (local.get $edge)) (local.get $offset))
        (v128.not (i32x4.eq (local.get $q) (v128.const i32x4 0 0 0 0))))
      (v128.or
        (i32x4.extend_low_i16x8_u (v128.load64_zero (local.get $lo)))
        (i32x4.shl (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $hi)))) (i32.const 16)))))

;; out[r] (f32) = dots_f32 of the rows decode_row would rebuild, for `count` rows of a block (index rows `stride`
  ;; bytes apart, lo rows 2 x stride, hi rows stride; `steps` holds each row's t, f32), `numbers` (a multiple of 8)
  ;; numbers each: the same sums in the same order as dots_f32 on the decoded rows, so the same bits. $decode4's
  ;; arithmetic is written out, on eight numbers loaded at once, as in dots_sqrt_coded.
  (func (export "dots_coded")
    (param $index i32) (param $lo i32) (param $hi i32) (param $count i32) (param $stride i32) (param $steps i32)
    (param $offset i32) (param $numbers i32) (param $query i32) (param $out i32)
    (local $end i32) (local $i i32) (local $l i32) (local $h i32) (local $p i32) (local $rowEnd i32)
    (local $acc0 v128) (local $acc1 v128) (local $step v128) (local $shift v128)
    (local $q8 v128) (local $lo8 v128) (local $hi8 v128) (local $q v128) (local $edge v128)
    (local.set $shift (i32x4.splat (local.get $offset)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $step (f32x4.splat (f32.load (local.get $steps))))
        (local.set $acc0 (v128.const f32x4 0 0 0 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $i (local.get $index))
        (local.set $l (local.get $lo))
        (local.set $h (local.get $hi))
        (local.set $p (local.get $query))
        (local.set $rowEnd (i32.add (local.get $index) (local.get $numbers)))
        (loop $eight
          (local.set $q8 (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $i))))
          (local.set $lo8 (v128.load (local.get $l)))
          (local.set $hi8 (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $h))))
          (local.set $acc0 (f32x4.add (local.get $acc0)
            (f32x4.mul
              (i32x4.add
                (v128.and
                  (i32x4.add
                    (f32x4.mul
                      (local.tee $edge (f32x4.mul (f32x4.add (f32x4.convert_i32x4_u (local.tee $q (i32x4.extend_low_i16x8_u (local.get $q8)))) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $step)))
                      (local.get $edge))
                    (local.get $shift))
                  (v128.not (i32x4.eq (local.get $q) (v128.const i32x4 0 0 0 0))))
                (v128.or (i32x4.extend_low_i16x8_u (local.get $lo8)) (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $hi8)) (i32.const 16))))
              (v128.load (local.get $p)))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul
              (i32x4.add
                (v128.and
                  (i32x4.add
                    (f32x4.mul
                      (local.tee $edge (f32x4.mul (f32x4.add (f32x4.convert_i32x4_u (local.tee $q (i32x4.extend_high_i16x8_u (local.get $q8)))) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $step)))
                      (local.get $edge))
                    (local.get $shift))
                  (v128.not (i32x4.eq (local.get $q) (v128.const i32x4 0 0 0 0))))
                (v128.or (i32x4.extend_high_i16x8_u (local.get $lo8)) (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $hi8)) (i32.const 16))))
              (v128.load offset=16 (local.get $p)))))
          (local.set $i (i32.add (local.get $i) (i32.const 8)))
          (local.set $l (i32.add (local.get $l) (i32.const 16)))
          (local.set $h (i32.add (local.get $h) (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $eight (i32.lt_u (local.get $i) (local.get $rowEnd))))
        (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
        (local.set $index (i32.add (local.get $index) (local.get $stride)))
        (local.set $lo (i32.add (local.get $lo) (i32.shl (local.get $stride) (i32.const 1))))
        (local.set $hi (i32.add (local.get $hi) (local.get $stride)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; out (f32) = dots_sqrt_f32 of the one row that decode_row would rebuild from index, lo and hi (`count` numbers,
  ;; a multiple of 8), without writing it: the same sums in the same order, so the same bits. $decode4's arithmetic is
  ;; written out here, on eight numbers loaded at once: the exact re-scoring spends its time in this loop.
  (func (export "dots_sqrt_coded") (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32) (param $query i32) (param $out i32)
    (local $end i32) (local $acc0 v128) (local $acc1 v128) (local $zero v128) (local $step v128) (local $shift v128)
    (local $q8 v128) (local $lo8 v128) (local $hi8 v128) (local $q v128) (local $edge v128)
    (local.set $end (i32.add (local.get $index) (local.get $count)))
    (local.set $step (f32x4.splat (local.get $t)))
    (local.set $shift (i32x4.splat (local.get $offset)))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $index) (local.get $end)))
        (local.set $q8 (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $index))))
        (local.set $lo8 (v128.load (local.get $lo)))
        (local.set $hi8 (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $hi))))
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul
            (f32x4.sqrt (f32x4.max
              (i32x4.add
              (v128.and
                (i32x4.add
                  (f32x4.mul
                    (local.tee $edge (f32x4.mul (f32x4.add (f32x4.convert_i32x4_u (local.tee $q (i32x4.extend_low_i16x8_u (local.get $q8)))) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $step)))
                    (local.get $edge))
                  (local.get $shift))
                (v128.not (i32x4.eq (local.get $q) (v128.const i32x4 0 0 0 0))))
              (v128.or (i32x4.extend_low_i16x8_u (local.get $lo8)) (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $hi8)) (i32.const 16))))
              (local.get $zero)))
            (v128.load (local.get $query)))))
        (local.set $acc1 (f32x4.add (local.get $acc1)
          (f32x4.mul
            (f32x4.sqrt (f32x4.max
              (i32x4.add
              (v128.and
                (i32x4.add
                  (f32x4.mul
                    (local.tee $edge (f32x4.mul (f32x4.add (f32x4.convert_i32x4_u (local.tee $q (i32x4.extend_high_i16x8_u (local.get $q8)))) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $step)))
                    (local.get $edge))
                  (local.get $shift))
                (v128.not (i32x4.eq (local.get $q) (v128.const i32x4 0 0 0 0))))
              (v128.or (i32x4.extend_high_i16x8_u (local.get $lo8)) (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $hi8)) (i32.const 16))))
              (local.get $zero)))
            (v128.load offset=16 (local.get $query)))))
        (local.set $index (i32.add (local.get $index) (i32.const 8)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 16)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 8)))
        (local.set $query (i32.add (local.get $query) (i32.const 32)))
        (br $eight)))
    (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
    (f32.store (local.get $out)
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0))))))
)

