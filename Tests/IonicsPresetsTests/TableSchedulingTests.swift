import Foundation
import IonicsPresets
import IonicsTestSupport
import Testing

/// `ionics table` starts the presets longest first (LPT), so that the longest run does
/// not start last and run alone. Its wall time is measured by `make bench`, not here.
@Suite struct TableSchedulingTests {
    let folder = repositoryRoot() + "/configs/devices"

    @Test func longestFirstIsADescendingPermutation() {
        let costs = [3.0, 10, 0, 7, 7, 1]
        let order = PresetTable.longestFirst(costs)
        #expect(order == [1, 3, 4, 0, 5, 2])
        #expect(Set(order) == Set(costs.indices))
    }

    /// The estimate ranks the preset with the most segments × cells first: Bao 2019
    /// (200 pulses with rests on 151 cells, the table's longest run).
    @Test func estimateRanksBaoFirst() throws {
        let paths = PresetTable.presets(in: folder)
        try #require(paths.count == 16)
        let costs = paths.map { PresetTable.estimatedCost(path: $0) }
        #expect(costs.allSatisfy { $0 > 0 })
        let first = paths[PresetTable.longestFirst(costs)[0]]
        #expect(first.hasSuffix("li-mos2-peo-bao2019.json"))
        #expect(PresetTable.estimatedCost(path: folder + "/no-such-preset.json") == 0)
    }

    /// Every preset runs exactly once, the longest-estimated one among the first two
    /// started, and the results come back in the order of the paths.
    @Test func runAllStartsLongestAndKeepsOrder() {
        let paths = PresetTable.presets(in: folder)
        final class Log: @unchecked Sendable {
            var started: [String] = []
            let lock = NSLock()
        }
        let log = Log()
        let results = PresetTable.runAll(paths: paths, jobs: 2, done: { _ in }) { path in
            log.lock.lock()
            log.started.append(path)
            log.lock.unlock()
            return PresetResult(name: (path as NSString).lastPathComponent, path: path, reported: nil, metrics: nil,
                                failure: nil, elapsed: 0, pulse: "", output: "")
        }
        #expect(results.map(\.path) == paths)
        #expect(log.started.sorted() == paths.sorted())
        let longest = paths[PresetTable.longestFirst(paths.map { PresetTable.estimatedCost(path: $0) })[0]]
        #expect(log.started.prefix(2).contains(longest))
    }
}
