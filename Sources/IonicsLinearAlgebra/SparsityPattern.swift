/// Where the nonzeros of a square matrix may be: compressed sparse rows (CSR), the
/// columns of each row sorted and unique.
///
/// A pattern is built once per problem (from the degree-of-freedom map and the mesh
/// connectivity) and shared by every Jacobian of the problem; linear solvers analyse
/// it once (ordering, symbolic factorisation) and then only refactor numbers.
///
/// The last `borderCount` unknowns are global unknowns (terminal circuit unknowns,
/// electrochemical potentials of an equilibrium solve) that may couple to any row:
/// a banded solver treats them as a dense border, a general sparse solver ignores
/// the hint.
public struct SparsityPattern: Sendable, Equatable {
    public let size: Int
    /// Row i's entries are `columns[rowStart[i] ..< rowStart[i + 1]]`.
    public let rowStart: [Int32]
    public let columns: [Int32]
    public let borderCount: Int

    /// Builds the pattern from each row's columns (any order, duplicates allowed).
    /// Every diagonal entry is included, so that mass matrices and shifts can be added.
    public init(size: Int, borderCount: Int = 0, rows: [[Int]]) {
        precondition(rows.count == size && borderCount >= 0 && borderCount <= size)
        var start = [Int32](repeating: 0, count: size + 1)
        var cols: [Int32] = []
        cols.reserveCapacity(rows.reduce(size) { $0 + $1.count })
        for (i, row) in rows.enumerated() {
            var r = row
            r.append(i)
            r.sort()
            var last = -1
            for c in r where c != last {
                precondition(c >= 0 && c < size, "column \(c) outside a \(size)×\(size) pattern")
                cols.append(Int32(c))
                last = c
            }
            start[i + 1] = Int32(cols.count)
        }
        self.size = size
        self.borderCount = borderCount
        rowStart = start
        columns = cols
    }

    /// A band pattern (`lower` sub- and `upper` super-diagonals) over the first
    /// `size − borderCount` unknowns, bordered by dense rows and columns.
    public static func band(size: Int, lower: Int, upper: Int, borderCount: Int = 0) -> SparsityPattern {
        let n = size - borderCount
        let rows: [[Int]] = (0..<size).map { i in
            if i >= n { return Array(0..<size) }
            return Array(max(0, i - lower)...min(n - 1, i + upper)) + Array(n..<size)
        }
        return SparsityPattern(size: size, borderCount: borderCount, rows: rows)
    }

    public var nonzeroCount: Int { columns.count }

    /// Position of (row, column) in the value array, or nil outside the pattern.
    public func slot(row: Int, column: Int) -> Int? {
        guard row >= 0 && row < size else { return nil }
        var lo = Int(rowStart[row])
        var hi = Int(rowStart[row + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = Int(columns[mid])
            if c == column { return mid }
            if c < column { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Lower and upper bandwidths of the leading `size − borderCount` block.
    public var bandwidths: (lower: Int, upper: Int) {
        let n = size - borderCount
        var lower = 0
        var upper = 0
        for i in 0..<n {
            for s in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                let j = Int(columns[s])
                guard j < n else { continue }
                lower = max(lower, i - j)
                upper = max(upper, j - i)
            }
        }
        return (lower, upper)
    }
}
