/// A nested-dissection ordering of a ``SparsityPattern`` (George, SIAM J. Numer. Anal.
/// 10, 345 (1973); the automatic form by level structures: George & Liu, Computer
/// Solution of Large Sparse Positive Definite Systems, Prentice-Hall 1981, ch. 8), for
/// sparse LU of 2D meshes: a separator that splits the graph in two is numbered last, its
/// halves are ordered the same way, recursively, so that the factors fill in only inside
/// the pieces and along the separators — O(n log n) entries and O(n^1.5) operations on a
/// 2D grid.
///
/// Rows with identical column sets (the unknowns of one cell) are treated as one node. A
/// separator is the middle level of a breadth-first level structure rooted at a
/// pseudo-peripheral node, thinned to the nodes that touch the next level. The border
/// (the pattern's last `borderCount` unknowns, dense) is numbered last.
public enum NestedDissection {
    /// The ordering: position k of the permuted matrix holds unknown `order[k]`.
    public static func order(_ pattern: SparsityPattern, leafSize: Int = 64) -> [Int32] {
        let n = pattern.size - pattern.borderCount
        let rs = pattern.rowStart, cs = pattern.columns
        // Nodes: runs of consecutive rows with the same columns.
        var nodeStart: [Int] = []
        var nodeOf = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let same = i > 0 && rs[i] - rs[i - 1] == rs[i + 1] - rs[i]
                && (0..<Int(rs[i + 1] - rs[i])).allSatisfy { cs[Int(rs[i]) + $0] == cs[Int(rs[i - 1]) + $0] }
            if !same { nodeStart.append(i) }
            nodeOf[i] = nodeStart.count - 1
        }
        let m = nodeStart.count
        nodeStart.append(n)
        // The node graph (CSR), without self loops and the border.
        var adjStart = [Int](repeating: 0, count: m + 1)
        var adj: [Int] = []
        for v in 0..<m {
            let r = nodeStart[v]
            var last = -1
            for s in Int(rs[r])..<Int(rs[r + 1]) {
                let c = Int(cs[s])
                guard c < n else { continue }
                let w = nodeOf[c]
                if w != v && w != last { adj.append(w); last = w }
            }
            adjStart[v + 1] = adj.count
        }

        var ordered: [Int] = []
        ordered.reserveCapacity(m)
        // set[v]: the piece v belongs to (pieces are numbered as they are made); level[v]: BFS level.
        var piece = [Int](repeating: 0, count: m)
        var level = [Int](repeating: -1, count: m)
        var pieces = 1
        // Work: pieces to dissect; each entry the piece's nodes and, once its halves are
        // done, its separator to append.
        enum Task { case dissect([Int]), emit([Int]) }
        var stack: [Task] = [.dissect(Array(0..<m))]

        /// Breadth-first levels from `root` inside piece `p`; returns the nodes in BFS order
        /// and the start of each level.
        func levels(from root: Int, in p: Int) -> (nodes: [Int], starts: [Int]) {
            var nodes = [root]
            var starts = [0]
            level[root] = 0
            var head = 0
            while head < nodes.count {
                starts.append(nodes.count)
                let end = nodes.count
                while head < end {
                    let v = nodes[head]
                    head += 1
                    for k in adjStart[v]..<adjStart[v + 1] {
                        let w = adj[k]
                        if piece[w] == p && level[w] < 0 {
                            level[w] = starts.count - 1
                            nodes.append(w)
                        }
                    }
                }
            }
            if starts.last == nodes.count { starts.removeLast() }
            return (nodes, starts)
        }

        while let task = stack.popLast() {
            switch task {
            case .emit(let separator):
                ordered += separator
            case .dissect(let nodes):
                if nodes.count <= leafSize {
                    ordered += nodes
                    continue
                }
                let p = pieces
                pieces += 1
                for v in nodes { piece[v] = p; level[v] = -1 }
                // A pseudo-peripheral root: restart from the last level until the depth stops growing.
                var root = nodes[0]
                var bfs = levels(from: root, in: p)
                for _ in 0..<8 {
                    let last = bfs.nodes[bfs.starts[bfs.starts.count - 1]...]
                    let candidate = last.min { adjStart[$0 + 1] - adjStart[$0] < adjStart[$1 + 1] - adjStart[$1] }!
                    for v in bfs.nodes { level[v] = -1 }
                    let next = levels(from: candidate, in: p)
                    if next.starts.count <= bfs.starts.count {
                        for v in next.nodes { level[v] = -1 }
                        bfs = levels(from: root, in: p)
                        break
                    }
                    root = candidate
                    bfs = next
                }
                if bfs.nodes.count < nodes.count {
                    // Disconnected: the component reached, and the rest.
                    let reached = bfs.nodes
                    for v in nodes { level[v] = -1 }
                    let inReached = Set(reached)
                    stack.append(.dissect(nodes.filter { !inReached.contains($0) }))
                    stack.append(.dissect(reached))
                    continue
                }
                let depth = bfs.starts.count
                guard depth >= 3 else {
                    ordered += bfs.nodes
                    for v in nodes { level[v] = -1 }
                    continue
                }
                // The level where half the nodes lie below.
                var middle = 1
                while middle < depth - 2 && bfs.starts[middle + 1] < bfs.nodes.count / 2 { middle += 1 }
                var low = Array(bfs.nodes[..<bfs.starts[middle]])
                var high = Array(bfs.nodes[(middle + 1 < depth ? bfs.starts[middle + 1] : bfs.nodes.count)...])
                var separator: [Int] = []
                let end = middle + 1 < depth ? bfs.starts[middle + 1] : bfs.nodes.count
                for v in bfs.nodes[bfs.starts[middle]..<end] {
                    // Only nodes that touch the level above separate; the others join the lower half.
                    let touches = (adjStart[v]..<adjStart[v + 1]).contains { piece[adj[$0]] == p && level[adj[$0]] == middle + 1 }
                    if touches { separator.append(v) } else { low.append(v) }
                }
                for v in nodes { level[v] = -1 }
                if separator.isEmpty { separator = high; high = [] }
                stack.append(.emit(separator))
                if !high.isEmpty { stack.append(.dissect(high)) }
                stack.append(.dissect(low))
            }
        }
        var order: [Int32] = []
        order.reserveCapacity(pattern.size)
        for v in ordered { for i in nodeStart[v]..<nodeStart[v + 1] { order.append(Int32(i)) } }
        for i in n..<pattern.size { order.append(Int32(i)) }
        precondition(order.count == pattern.size, "nested dissection lost unknowns")
        return order
    }
}
