import IonicsConfig
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses every JSON type and keeps key order")
    func parsesEverything() throws {
        let v = try JSONParser.parse(#"{"b": [1, -2.5e3, true, false, null], "a": {"s": "x\"y\u00b5\n"}, "z": 0}"#)
        guard case .object(let members) = v else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "z"])
        #expect(v["b"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(v["a"]?["s"] == .string("x\"yµ\n"))
        #expect(v["z"] == .number(0))
    }

    @Test("surrogate pairs decode to one scalar")
    func surrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    static let invalid: [(String, Int, Int)] = [
        ("{\"a\": 1,}", 1, 9),
        ("{\"a\" 1}", 1, 6),
        ("[1, 2", 1, 6),
        ("{\n  \"a\": 01\n}", 2, 10),
        ("{\"a\": tru}", 1, 7),
        ("{\"a\": 1} x", 1, 10),
        ("{\"a\": 1, \"a\": 2}", 1, 10),
        ("\"abc", 1, 5),
        ("{\n\n   \"k\": [1, }", 3, 13),
        ("", 1, 1),
        ("1.", 1, 3),
    ]

    @Test("syntax errors name the line and column", arguments: invalid.indices)
    func syntaxErrors(_ i: Int) {
        let (text, line, column) = Self.invalid[i]
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
        }
    }

    @Test("jsonText round-trips")
    func roundTrip() throws {
        let text = #"{"name": "d", "list": [1, 2.5, "3 nm"], "nested": {"ok": true, "none": null}}"#
        let v = try JSONParser.parse(text)
        #expect(try JSONParser.parse(v.jsonText) == v)
    }
}
