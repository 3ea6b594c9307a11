/// FNV-1a, 64 bits (Fowler, Noll and Vo): the hash that names a sweep point's file.
///
/// Each byte b of the UTF-8 text updates h ← (h ⊕ b) · 1099511628211 (mod 2⁶⁴), from
/// the offset basis 14695981039346656037. It is not cryptographic; it is small,
/// has no dependencies and gives the same value on every machine and in every
/// version of Swift, which is what a file name that must survive a resume needs.
public enum FNV1a64 {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> UInt64 {
        var h = offsetBasis
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* prime
        }
        return h
    }

    /// `hash(text)` as 16 lower-case hexadecimal digits.
    public static func hex(_ text: String) -> String { hex(hash(text)) }

    /// `value` as 16 lower-case hexadecimal digits (leading zeros kept).
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
