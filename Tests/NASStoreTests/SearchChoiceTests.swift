import NASStore
import Testing

/// "The search named by --name, else the only one", in every case.
@Suite struct SearchChoiceTests {
    func choose(_ name: String?, _ names: [String]) -> SearchChoice<String> {
        SearchChoice.choose(name, among: names, nameOf: { $0 })
    }

    @Test func aNameChoosesThatSearchWhateverElseIsThere() {
        guard case .found(let found) = choose("b", ["a", "b", "c"]) else { Issue.record("not found"); return }
        #expect(found == "b")
    }

    @Test func withoutANameTheOnlySearchIsChosen() {
        guard case .found(let found) = choose(nil, ["only"]) else { Issue.record("not found"); return }
        #expect(found == "only")
    }

    @Test func refusalsNameTheFileAndTheSearchesThere() {
        #expect(choose(nil, []).refusal(path: "f.db", severalAdvice: "x") == "f.db: holds no search yet")
        #expect(choose(nil, ["a", "b"]).refusal(path: "f.db", severalAdvice: "choose one with --name")
                == "f.db: holds several searches (a, b); choose one with --name")
        #expect(choose("z", ["a"]).refusal(path: "f.db", severalAdvice: "x") == "f.db: no search named 'z' (searches: a)")
        #expect(choose("z", []).refusal(path: "f.db", severalAdvice: "x", unknownAdvice: "give --space SPEC")
                == "f.db: no search named 'z' (searches: none); give --space SPEC")
        #expect(choose("a", ["a"]).refusal(path: "f.db", severalAdvice: "x") == nil)
    }
}
