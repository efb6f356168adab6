;; The k-NN store's inner loops without WebAssembly SIMD, for engines that lack it (Safari before 16.4): the same
;; exports as kernels.wat, with the same arithmetic in the same order, so the same bits. Where kernels.wat keeps
;; f32x4 accumulators (two of them, lanes 0 to 3 and 4 to 7 of each 8 numbers), this keeps eight f32 ones, a0 to a7,
;; and sums them as kernels.wat sums its lanes: ((a0 + a4) + (a1 + a5)) + ((a2 + a6) + (a3 + a7)). Integer sums
;; (dots_u8) are exact in any order. scripts/build-kernels.mjs compiles it with SIMD off, so a v128 cannot slip in.
(module
  (import "env" "memory" (memory 1 65536))

  ;; As kernels.wat's dots_u8: out[r] (i32) = sum over c of rows[r][c] (u8) * query[c] (i16).
  (func (export "dots_u8") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $acc i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $acc (i32.const 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $acc (i32.add (local.get $acc) (i32.mul (i32.load8_u (local.get $p)) (i32.load16_s (local.get $q)))))
          (local.set $acc (i32.add (local.get $acc) (i32.mul (i32.load8_u offset=1 (local.get $p)) (i32.load16_s offset=2 (local.get $q)))))
          (local.set $acc (i32.add (local.get $acc) (i32.mul (i32.load8_u offset=2 (local.get $p)) (i32.load16_s offset=4 (local.get $q)))))
          (local.set $acc (i32.add (local.get $acc) (i32.mul (i32.load8_u offset=3 (local.get $p)) (i32.load16_s offset=6 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $q (i32.add (local.get $q) (i32.const 8)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (i32.store (local.get $out) (local.get $acc))
        (local.set $rows (local.get $rowEnd))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; sqrt(max(x, 0)), as f32x4.sqrt (f32x4.max x 0).
  (func $root (param $x f32) (result f32)
    (f32.sqrt (f32.max (local.get $x) (f32.const 0))))

  ;; As kernels.wat's dots_f32: out[r] (f32) = sum over c of rows[r][c] * query[c].
  (func $dots_f32 (export "dots_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32) (local $a4 f32) (local $a5 f32) (local $a6 f32) (local $a7 f32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $a0 (f32.const 0)) (local.set $a1 (f32.const 0)) (local.set $a2 (f32.const 0)) (local.set $a3 (f32.const 0)) (local.set $a4 (f32.const 0)) (local.set $a5 (f32.const 0)) (local.set $a6 (f32.const 0)) (local.set $a7 (f32.const 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $a0 (f32.add (local.get $a0) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
          (local.set $a1 (f32.add (local.get $a1) (f32.mul (f32.load offset=4 (local.get $p)) (f32.load offset=4 (local.get $q)))))
          (local.set $a2 (f32.add (local.get $a2) (f32.mul (f32.load offset=8 (local.get $p)) (f32.load offset=8 (local.get $q)))))
          (local.set $a3 (f32.add (local.get $a3) (f32.mul (f32.load offset=12 (local.get $p)) (f32.load offset=12 (local.get $q)))))
          (local.set $a4 (f32.add (local.get $a4) (f32.mul (f32.load offset=16 (local.get $p)) (f32.load offset=16 (local.get $q)))))
          (local.set $a5 (f32.add (local.get $a5) (f32.mul (f32.load offset=20 (local.get $p)) (f32.load offset=20 (local.get $q)))))
          (local.set $a6 (f32.add (local.get $a6) (f32.mul (f32.load offset=24 (local.get $p)) (f32.load offset=24 (local.get $q)))))
          (local.set $a7 (f32.add (local.get $a7) (f32.mul (f32.load offset=28 (local.get $p)) (f32.load offset=28 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (f32.store (local.get $out) (f32.add (f32.add (f32.add (local.get $a0) (local.get $a4)) (f32.add (local.get $a1) (local.get $a5))) (f32.add (f32.add (local.get $a2) (local.get $a6)) (f32.add (local.get $a3) (local.get $a7)))))
        (local.set $rows (local.get $rowEnd))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; As kernels.wat's dots_sqrt_f32: out[r] (f32) = sum over c of sqrt(max(rows[r][c], 0)) * query[c].
  (func $dots_sqrt_f32 (export "dots_sqrt_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $out i32)
    (local $end i32) (local $p i32) (local $rowEnd i32) (local $q i32) (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32) (local $a4 f32) (local $a5 f32) (local $a6 f32) (local $a7 f32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $a0 (f32.const 0)) (local.set $a1 (f32.const 0)) (local.set $a2 (f32.const 0)) (local.set $a3 (f32.const 0)) (local.set $a4 (f32.const 0)) (local.set $a5 (f32.const 0)) (local.set $a6 (f32.const 0)) (local.set $a7 (f32.const 0))
        (local.set $p (local.get $rows))
        (local.set $rowEnd (i32.add (local.get $rows) (local.get $stride)))
        (local.set $q (local.get $query))
        (loop $column
          (local.set $a0 (f32.add (local.get $a0) (f32.mul (call $root (f32.load (local.get $p))) (f32.load (local.get $q)))))
          (local.set $a1 (f32.add (local.get $a1) (f32.mul (call $root (f32.load offset=4 (local.get $p))) (f32.load offset=4 (local.get $q)))))
          (local.set $a2 (f32.add (local.get $a2) (f32.mul (call $root (f32.load offset=8 (local.get $p))) (f32.load offset=8 (local.get $q)))))
          (local.set $a3 (f32.add (local.get $a3) (f32.mul (call $root (f32.load offset=12 (local.get $p))) (f32.load offset=12 (local.get $q)))))
          (local.set $a4 (f32.add (local.get $a4) (f32.mul (call $root (f32.load offset=16 (local.get $p))) (f32.load offset=16 (local.get $q)))))
          (local.set $a5 (f32.add (local.get $a5) (f32.mul (call $root (f32.load offset=20 (local.get $p))) (f32.load offset=20 (local.get $q)))))
          (local.set $a6 (f32.add (local.get $a6) (f32.mul (call $root (f32.load offset=24 (local.get $p))) (f32.load offset=24 (local.get $q)))))
          (local.set $a7 (f32.add (local.get $a7) (f32.mul (call $root (f32.load offset=28 (local.get $p))) (f32.load offset=28 (local.get $q)))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $q (i32.add (local.get $q) (i32.const 32)))
          (br_if $column (i32.lt_u (local.get $p) (local.get $rowEnd))))
        (f32.store (local.get $out) (f32.add (f32.add (f32.add (local.get $a0) (local.get $a4)) (f32.add (local.get $a1) (local.get $a5))) (f32.add (f32.add (local.get $a2) (local.get $a6)) (f32.add (local.get $a3) (local.get $a7)))))
        (local.set $rows (local.get $rowEnd))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; As kernels.wat's combine_f32: out (one row of `stride` bytes) = sum over r of coefficients[r] * rows[r].
  (func (export "combine_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $coefficients i32) (param $out i32)
    (local $r i32)
    (call $zero (local.get $out) (local.get $stride))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (call $add_scaled (local.get $out) (local.get $stride)
          (f32.load (i32.add (local.get $coefficients) (i32.shl (local.get $r) (i32.const 2))))
          (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Zeros `bytes` bytes (a multiple of 4) at `out`.
  (func $zero (param $out i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (local.get $bytes)))
    (loop $each
      (f32.store (local.get $out) (f32.const 0))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br_if $each (i32.lt_u (local.get $out) (local.get $end)))))

  ;; out[i] += c * row[i] for the `bytes` / 4 numbers of a row.
  (func $add_scaled (param $out i32) (param $bytes i32) (param $c f32) (param $row i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (local.get $bytes)))
    (loop $each
      (f32.store (local.get $out) (f32.add (f32.load (local.get $out)) (f32.mul (local.get $c) (f32.load (local.get $row)))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $row (i32.add (local.get $row) (i32.const 4)))
      (br_if $each (i32.lt_u (local.get $out) (local.get $end)))))

  ;; As kernels.wat's project_f32: coefficients[r] = rows[r] . query (as dots_f32), then out = sum over r of
  ;; coefficients[r] * rows[r] (as combine_f32).
  (func (export "project_f32") (param $rows i32) (param $count i32) (param $stride i32) (param $query i32) (param $coefficients i32) (param $out i32)
    (local $r i32) (local $row i32) (local $c i32)
    (call $zero (local.get $out) (local.get $stride))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $c (i32.add (local.get $coefficients) (i32.shl (local.get $r) (i32.const 2))))
        (call $dots_f32 (local.get $row) (i32.const 1) (local.get $stride) (local.get $query) (local.get $c))
        (call $add_scaled (local.get $out) (local.get $stride) (f32.load (local.get $c)) (local.get $row))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))

  ;; As kernels.wat's $decode4, for one number: its f32, from index byte q, residual lo + hi x 2^16, step t.
  (func $decode (param $q i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (result f32)
    (local $edge f32)
    (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
    (f32.reinterpret_i32
      (i32.add
        (select
          (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset))
          (i32.const 0)
          (local.get $q))
        (i32.or (local.get $lo) (i32.shl (local.get $hi) (i32.const 16))))))

  ;; As kernels.wat's decode_row: `count` numbers (a multiple of 4) rebuilt at `out`.
  (func (export "decode_row") (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (call $decode (i32.load8_u (local.get $index)) (i32.load16_u (local.get $lo)) (i32.load8_u (local.get $hi)) (local.get $t) (local.get $offset)))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 2)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 1)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $each))))

  ;; As kernels.wat's dots_coded: dots_f32 of the rows decode_row would rebuild from one block.
  (func (export "dots_coded")
    (param $index i32) (param $lo i32) (param $hi i32) (param $count i32) (param $stride i32) (param $steps i32)
    (param $offset i32) (param $numbers i32) (param $query i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (call $dot_coded (local.get $index) (local.get $lo) (local.get $hi) (f32.load (local.get $steps)) (local.get $offset)
          (local.get $numbers) (local.get $query) (local.get $out))
        (local.set $index (i32.add (local.get $index) (local.get $stride)))
        (local.set $lo (i32.add (local.get $lo) (i32.shl (local.get $stride) (i32.const 1))))
        (local.set $hi (i32.add (local.get $hi) (local.get $stride)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $row))))

  ;; As kernels.wat's dots_sqrt_coded: dots_sqrt_f32 of the one row decode_row would rebuild.
  (func (export "dots_sqrt_coded") (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32) (param $query i32) (param $out i32)
    (call $dot_sqrt_coded (local.get $index) (local.get $lo) (local.get $hi) (local.get $t) (local.get $offset)
      (local.get $count) (local.get $query) (local.get $out)))

  ;; The dot of them with the f32 query, of one coded row's `count` numbers (a multiple of 8), written to `out`;
  ;; $decode's arithmetic written out, number by number.
  (func $dot_coded (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32)
    (param $query i32) (param $out i32)
    (local $end i32) (local $q i32) (local $edge f32) (local $x f32) (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32) (local $a4 f32) (local $a5 f32) (local $a6 f32) (local $a7 f32)
    (local.set $end (i32.add (local.get $index) (local.get $count)))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $index) (local.get $end)))
        (local.set $q (i32.load8_u (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u (local.get $lo)) (i32.shl (i32.load8_u (local.get $hi)) (i32.const 16))))))
        (local.set $a0 (f32.add (local.get $a0) (f32.mul (local.get $x) (f32.load (local.get $query)))))
        (local.set $q (i32.load8_u offset=1 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=2 (local.get $lo)) (i32.shl (i32.load8_u offset=1 (local.get $hi)) (i32.const 16))))))
        (local.set $a1 (f32.add (local.get $a1) (f32.mul (local.get $x) (f32.load offset=4 (local.get $query)))))
        (local.set $q (i32.load8_u offset=2 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=4 (local.get $lo)) (i32.shl (i32.load8_u offset=2 (local.get $hi)) (i32.const 16))))))
        (local.set $a2 (f32.add (local.get $a2) (f32.mul (local.get $x) (f32.load offset=8 (local.get $query)))))
        (local.set $q (i32.load8_u offset=3 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=6 (local.get $lo)) (i32.shl (i32.load8_u offset=3 (local.get $hi)) (i32.const 16))))))
        (local.set $a3 (f32.add (local.get $a3) (f32.mul (local.get $x) (f32.load offset=12 (local.get $query)))))
        (local.set $q (i32.load8_u offset=4 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=8 (local.get $lo)) (i32.shl (i32.load8_u offset=4 (local.get $hi)) (i32.const 16))))))
        (local.set $a4 (f32.add (local.get $a4) (f32.mul (local.get $x) (f32.load offset=16 (local.get $query)))))
        (local.set $q (i32.load8_u offset=5 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=10 (local.get $lo)) (i32.shl (i32.load8_u offset=5 (local.get $hi)) (i32.const 16))))))
        (local.set $a5 (f32.add (local.get $a5) (f32.mul (local.get $x) (f32.load offset=20 (local.get $query)))))
        (local.set $q (i32.load8_u offset=6 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=12 (local.get $lo)) (i32.shl (i32.load8_u offset=6 (local.get $hi)) (i32.const 16))))))
        (local.set $a6 (f32.add (local.get $a6) (f32.mul (local.get $x) (f32.load offset=24 (local.get $query)))))
        (local.set $q (i32.load8_u offset=7 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=14 (local.get $lo)) (i32.shl (i32.load8_u offset=7 (local.get $hi)) (i32.const 16))))))
        (local.set $a7 (f32.add (local.get $a7) (f32.mul (local.get $x) (f32.load offset=28 (local.get $query)))))
        (local.set $index (i32.add (local.get $index) (i32.const 8)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 16)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 8)))
        (local.set $query (i32.add (local.get $query) (i32.const 32)))
        (br $eight)))
    (f32.store (local.get $out) (f32.add (f32.add (f32.add (local.get $a0) (local.get $a4)) (f32.add (local.get $a1) (local.get $a5))) (f32.add (f32.add (local.get $a2) (local.get $a6)) (f32.add (local.get $a3) (local.get $a7))))))

  ;; The dot of their square roots (negatives as 0) with the f32 query, of one coded row's `count` numbers (a multiple of 8), written to `out`;
  ;; $decode's arithmetic written out, number by number.
  (func $dot_sqrt_coded (param $index i32) (param $lo i32) (param $hi i32) (param $t f32) (param $offset i32) (param $count i32)
    (param $query i32) (param $out i32)
    (local $end i32) (local $q i32) (local $edge f32) (local $x f32) (local $a0 f32) (local $a1 f32) (local $a2 f32) (local $a3 f32) (local $a4 f32) (local $a5 f32) (local $a6 f32) (local $a7 f32)
    (local.set $end (i32.add (local.get $index) (local.get $count)))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $index) (local.get $end)))
        (local.set $q (i32.load8_u (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u (local.get $lo)) (i32.shl (i32.load8_u (local.get $hi)) (i32.const 16))))))
        (local.set $a0 (f32.add (local.get $a0) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load (local.get $query)))))
        (local.set $q (i32.load8_u offset=1 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=2 (local.get $lo)) (i32.shl (i32.load8_u offset=1 (local.get $hi)) (i32.const 16))))))
        (local.set $a1 (f32.add (local.get $a1) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=4 (local.get $query)))))
        (local.set $q (i32.load8_u offset=2 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=4 (local.get $lo)) (i32.shl (i32.load8_u offset=2 (local.get $hi)) (i32.const 16))))))
        (local.set $a2 (f32.add (local.get $a2) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=8 (local.get $query)))))
        (local.set $q (i32.load8_u offset=3 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=6 (local.get $lo)) (i32.shl (i32.load8_u offset=3 (local.get $hi)) (i32.const 16))))))
        (local.set $a3 (f32.add (local.get $a3) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=12 (local.get $query)))))
        (local.set $q (i32.load8_u offset=4 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=8 (local.get $lo)) (i32.shl (i32.load8_u offset=4 (local.get $hi)) (i32.const 16))))))
        (local.set $a4 (f32.add (local.get $a4) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=16 (local.get $query)))))
        (local.set $q (i32.load8_u offset=5 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=10 (local.get $lo)) (i32.shl (i32.load8_u offset=5 (local.get $hi)) (i32.const 16))))))
        (local.set $a5 (f32.add (local.get $a5) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=20 (local.get $query)))))
        (local.set $q (i32.load8_u offset=6 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=12 (local.get $lo)) (i32.shl (i32.load8_u offset=6 (local.get $hi)) (i32.const 16))))))
        (local.set $a6 (f32.add (local.get $a6) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=24 (local.get $query)))))
        (local.set $q (i32.load8_u offset=7 (local.get $index)))
        (local.set $edge (f32.mul (f32.add (f32.convert_i32_u (local.get $q)) (f32.const 0.5)) (local.get $t)))
        (local.set $x (f32.reinterpret_i32 (i32.add
          (select (i32.add (i32.reinterpret_f32 (f32.mul (local.get $edge) (local.get $edge))) (local.get $offset)) (i32.const 0) (local.get $q))
          (i32.or (i32.load16_u offset=14 (local.get $lo)) (i32.shl (i32.load8_u offset=7 (local.get $hi)) (i32.const 16))))))
        (local.set $a7 (f32.add (local.get $a7) (f32.mul (f32.sqrt (f32.max (local.get $x) (f32.const 0))) (f32.load offset=28 (local.get $query)))))
        (local.set $index (i32.add (local.get $index) (i32.const 8)))
        (local.set $lo (i32.add (local.get $lo) (i32.const 16)))
        (local.set $hi (i32.add (local.get $hi) (i32.const 8)))
        (local.set $query (i32.add (local.get $query) (i32.const 32)))
        (br $eight)))
    (f32.store (local.get $out) (f32.add (f32.add (f32.add (local.get $a0) (local.get $a4)) (f32.add (local.get $a1) (local.get $a5))) (f32.add (f32.add (local.get $a2) (local.get $a6)) (f32.add (local.get $a3) (local.get $a7))))))

)
