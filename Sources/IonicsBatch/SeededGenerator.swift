/// A seeded pseudo-random generator for the sampled axes of a sweep: xoshiro256**
/// (Blackman and Vigna, 2018) with its state filled by SplitMix64 from the seed.
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded, and the standard library's
/// `Double.random(in:using:)` may change between versions; here every step is integer
/// arithmetic written out, so a seed gives the same points on every machine and with
/// every compiler.
public struct SeededGenerator: Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x = x &+ 0x9e37_79b9_7f4a_7c15
            var z = x
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// A uniform Double in [0, 1): the top 53 bits of ``next()`` times 2⁻⁵³.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in 0..<n (n ≥ 1), without modulo bias (Lemire's
    /// multiply-and-reject).
    public mutating func below(_ n: Int) -> Int {
        precondition(n >= 1, "below(_:) needs n ≥ 1")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        var i = n - 1
        while i > 0 {
            p.swapAt(i, below(i + 1))
            i -= 1
        }
        return p
    }
}
