import Foundation
import IonicsBatch
import Testing

@Suite("Seeded sampling: generator, random and Latin-hypercube axes")
struct SamplingTests {
    func sample(_ method: String, count: Int, seed: Int) throws -> SweepAxis {
        try SweepSpec.parse("""
            {"base": "b", "axes": [{"sample": {"method": "\(method)", "count": \(count), "seed": \(seed), "parameters": [
                {"path": "layers[1].thickness", "from": "50 nm", "to": "500 nm", "scale": "log"},
                {"path": "protocol.potentiation.current", "from": "0.1 uA", "to": "1 uA"},
                {"path": "temperature", "from": 280, "to": 320}]}}]}
            """, source: "t").axes[0]
    }

    @Test("Latin hypercube: each of the n strata of every parameter holds exactly one point", arguments: [1, 5, 16, 64])
    func stratification(count: Int) throws {
        let axis = try sample("lhs", count: count, seed: 7)
        #expect(axis.length == count && axis.kind == .lhs && axis.name == "point")
        let c = axis.coordinates
        let thickness = try #require(c[1].numbers), current = try #require(c[2].numbers), temperature = try #require(c[3].numbers)
        func strata(_ v: [Double], _ u: (Double) -> Double) -> [Int] { v.map { Int((u($0) * Double(count)).rounded(.down)) }.sorted() }
        #expect(strata(thickness) { log($0 / 50e-9) / log(10) } == Array(0..<count))
        #expect(strata(current) { ($0 - 1e-7) / 9e-7 } == Array(0..<count))
        #expect(strata(temperature) { ($0 - 280) / 40 } == Array(0..<count))
        #expect(c[3].units == "1" && c[1].units == "m" && c[2].units == "A")
    }

    @Test("the same seed draws the same points, another seed others; random points stay in their bounds")
    func reproducible() throws {
        let a = try sample("random", count: 50, seed: 42), b = try sample("random", count: 50, seed: 42), c = try sample("random", count: 50, seed: 43)
        #expect(a.values == b.values)
        #expect(a.values != c.values)
        for x in try #require(a.coordinates[1].numbers) { #expect(x >= 50e-9 && x <= 500e-9) }
        for x in try #require(a.coordinates[3].numbers) { #expect(x >= 280 && x <= 320) }
        #expect(try sample("lhs", count: 9, seed: 1).values == (try sample("lhs", count: 9, seed: 1)).values)
    }

    @Test("xoshiro256** seeded by SplitMix64: fixed stream, unbiased bounded integers, permutations")
    func generator() {
        var g = SeededGenerator(seed: 0)
        var h = SeededGenerator(seed: 0)
        let first = (0..<4).map { _ in g.next() }
        #expect(first == (0..<4).map { _ in h.next() })
        #expect(Set(first).count == 4)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.below(6)] += 1 }
        // 10 000 expected per face; 5σ ≈ 456.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 456 }, "\(counts)")
        let p = g.permutation(100)
        #expect(p.sorted() == Array(0..<100) && p != Array(0..<100))
        for _ in 0..<1000 { let u = g.unit(); #expect(u >= 0 && u < 1) }
    }
}
