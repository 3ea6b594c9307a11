import IonicsPresets
import Testing

/// How `ionics table` writes a prediction error beside a preset.
@Suite struct TableTextTests {
    @Test("G errors in whole percent, misses of ±1000 % and more in two digits, energy as a factor")
    func predictionErrors() {
        #expect(PresetTable.errorText(name: "gmax", error: -0.12) == "gmax -12 %")
        #expect(PresetTable.errorText(name: "gmax", error: 1.14) == "gmax +114 %")
        #expect(PresetTable.errorText(name: "gmax", error: 9.99) == "gmax +999 %")
        #expect(PresetTable.errorText(name: "gmax", error: 2190.3) == "gmax +2.2e+05 %")
        #expect(PresetTable.errorText(name: "energy", error: -0.956) == "energy ×0.044")
    }
}
