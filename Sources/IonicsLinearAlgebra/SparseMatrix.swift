/// A square matrix over a fixed ``SparsityPattern``: the assembly format of every
/// Jacobian. Assembly adds into it through a ``JacobianAccumulator`` without knowing
/// which linear solver will factor it; each ``LinearSolver`` reads the values in the
/// layout it needs (band storage, compressed columns …).
public struct SparseMatrix: Sendable {
    public let pattern: SparsityPattern
    /// Values in the pattern's CSR order.
    public var values: [Double]
    /// Slot of each diagonal entry.
    let diagonal: [Int]

    public init(pattern: SparsityPattern) {
        self.pattern = pattern
        values = [Double](repeating: 0, count: pattern.nonzeroCount)
        diagonal = (0..<pattern.size).map { pattern.slot(row: $0, column: $0)! }
    }

    public var size: Int { pattern.size }

    /// M(row, column): zero outside the pattern; setting requires an entry of the pattern.
    public subscript(row: Int, column: Int) -> Double {
        get { pattern.slot(row: row, column: column).map { values[$0] } ?? 0 }
        set {
            guard let s = pattern.slot(row: row, column: column) else {
                preconditionFailure("entry (\(row), \(column)) outside the sparsity pattern")
            }
            values[s] = newValue
        }
    }

    /// M(row, column) += value; the entry must be in the pattern.
    public mutating func add(_ value: Double, row: Int, column: Int) {
        guard let s = pattern.slot(row: row, column: column) else {
            preconditionFailure("entry (\(row), \(column)) outside the Jacobian's sparsity pattern")
        }
        values[s] += value
    }

    /// Sets every entry to zero, keeping the allocation.
    public mutating func setZero() {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Sets every entry of row i to zero.
    public mutating func zeroRow(_ i: Int) {
        for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) { values[s] = 0 }
    }

    /// Multiplies row i by `factors[i]` and adds `diagonal[i]` to (i, i), in one pass.
    public mutating func scaleRows(by factors: [Double], addingDiagonal shift: [Double]? = nil) {
        precondition(factors.count == size && (shift?.count ?? size) == size)
        let n = size
        // Through pointers (the preconditions above bound every index): called on every
        // Newton iteration's Jacobian.
        values.withUnsafeMutableBufferPointer { v in
            pattern.rowStart.withUnsafeBufferPointer { start in
                diagonal.withUnsafeBufferPointer { diagonal in
                    factors.withUnsafeBufferPointer { factors in
                        let (v, start, diagonal, factors) = (v.baseAddress!, start.baseAddress!, diagonal.baseAddress!, factors.baseAddress!)
                        for i in 0..<n {
                            let f = factors[i]
                            if f != 1 { for s in Int(start[i])..<Int(start[i + 1]) { v[s] *= f } }
                        }
                        guard let shift else { return }
                        shift.withUnsafeBufferPointer { shift in
                            for i in 0..<n where shift[i] != 0 { v[diagonal[i]] += shift[i] }
                        }
                    }
                }
            }
        }
    }

    /// y = M·x.
    public func multiply(_ x: [Double]) -> [Double] {
        precondition(x.count == size)
        var y = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = 0.0
            for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) { sum += values[s] * x[Int(pattern.columns[s])] }
            y[i] = sum
        }
        return y
    }

    public var infinityNorm: Double {
        (0..<size).map { i in
            (Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1])).reduce(0.0) { $0 + abs(values[$1]) }
        }.max() ?? 0
    }

    public func dense() -> DenseMatrix {
        var d = DenseMatrix(rows: size, columns: size)
        for i in 0..<size {
            for s in Int(pattern.rowStart[i])..<Int(pattern.rowStart[i + 1]) { d[i, Int(pattern.columns[s])] = values[s] }
        }
        return d
    }

    /// Runs `body` with an accumulator adding into this matrix through raw pointers.
    public mutating func withAccumulator<R>(_ body: (JacobianAccumulator) throws -> R) rethrows -> R {
        let start = pattern.rowStart
        let cols = pattern.columns
        return try values.withUnsafeMutableBufferPointer { v in
            try start.withUnsafeBufferPointer { rs in
                try cols.withUnsafeBufferPointer { cs in
                    try body(JacobianAccumulator(values: v.baseAddress!, rowStart: rs.baseAddress!, columns: cs.baseAddress!))
                }
            }
        }
    }
}

/// Adds entries to a ``SparseMatrix`` through raw pointers, for assembly loops that
/// add millions of entries: no copy-on-write checks, a short scan of the row's
/// sorted columns per entry. Valid only inside ``SparseMatrix/withAccumulator(_:)``.
public struct JacobianAccumulator {
    @usableFromInline let values: UnsafeMutablePointer<Double>
    @usableFromInline let rowStart: UnsafePointer<Int32>
    @usableFromInline let columns: UnsafePointer<Int32>

    @usableFromInline
    init(values: UnsafeMutablePointer<Double>, rowStart: UnsafePointer<Int32>, columns: UnsafePointer<Int32>) {
        self.values = values
        self.rowStart = rowStart
        self.columns = columns
    }

    /// M(row, column) += value; traps for an entry outside the pattern (an assembly bug).
    @inlinable @inline(__always)
    public func add(_ value: Double, row: Int, column: Int) {
        var lo = Int(rowStart[row])
        var hi = Int(rowStart[row + 1])
        let c = Int32(truncatingIfNeeded: column)
        // Binary search down to a short run, then a linear scan.
        while hi - lo > 8 {
            let mid = (lo + hi) >> 1
            if columns[mid] <= c { lo = mid } else { hi = mid }
        }
        while lo < hi {
            if columns[lo] == c {
                values[lo] += value
                return
            }
            lo += 1
        }
        preconditionFailure("entry (\(row), \(column)) outside the Jacobian's sparsity pattern")
    }

    /// M[slot] += value, with `slot` a position in the value array found once by
    /// ``SparsityPattern/slot(row:column:)``: for kernels that resolve their entries
    /// when the discretisation is built instead of searching the row on every pass.
    @inlinable @inline(__always)
    public func add(_ value: Double, slot: Int) {
        values[slot] += value
    }

    /// Sets every entry of rows `rows` to zero (one contiguous run of the CSR values), so
    /// that workers owning disjoint row blocks can clear their own rows.
    public func zeroRows(_ rows: Range<Int>) {
        zero(slots: Int(rowStart[rows.lowerBound])..<Int(rowStart[rows.upperBound]))
    }

    /// Sets the values at `slots` (positions in the CSR value array) to zero: a share of
    /// long rows cleared by several threads.
    public func zero(slots: Range<Int>) {
        (values + slots.lowerBound).update(repeating: 0, count: slots.count)
    }
}
