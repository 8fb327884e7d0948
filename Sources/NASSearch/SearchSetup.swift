import NASSpace
import NASStore

/// A search ready to run: created now or found in the database.
package struct OpenedSearch: Sendable {
    /// The search's stored row.
    package var record: SearchRecord
    /// Search space to explore.
    package var space: SearchSpace
    /// Strategy settings for the search.
    package var settings: SearchSettings
    /// Maximum number of evaluations, if limited.
    package var budget: Int?
    /// Wall-clock limit in seconds, if any.
    package var timeLimitSeconds: Double?
    /// Whether the search was newly created rather than resumed.
    package var created: Bool
}

/// Creates a search or resumes the stored one, refusing a resume whose space or settings differ.
package enum SearchSetup {
    /// Opens the search `request` names.
    ///
    /// - Parameter defaultEvaluator: the evaluator a new search of this space uses when none is
    ///   given, or nil when the user must choose.
    /// - Parameter normalizeEvaluator: turns a user-given evaluator into its stored form (e.g.
    ///   absolute table paths), so that equal requests compare equal.
    package static func open(
        store: Store, request: SearchRequest,
        defaultEvaluator: (SearchSpace) -> String?,
        normalizeEvaluator: (String) -> String = { $0 }
    ) throws -> OpenedSearch {
        guard let opened = try decide(store: store, request: request, defaultEvaluator: defaultEvaluator,
                                      normalizeEvaluator: normalizeEvaluator, write: true) else {
            preconditionFailure("a writing decision always opens a search")
        }
        return opened
    }

    /// Runs every check `open` runs without writing anything: refuses a resume whose space or
    /// settings differ, bad settings, a missing space. Use it on a read-only store first, so a
    /// refused request leaves the file untouched.
    package static func check(
        store: Store, request: SearchRequest,
        defaultEvaluator: (SearchSpace) -> String?,
        normalizeEvaluator: (String) -> String = { $0 }
    ) throws {
        _ = try decide(store: store, request: request, defaultEvaluator: defaultEvaluator,
                       normalizeEvaluator: normalizeEvaluator, write: false)
    }

    private static func decide(
        store: Store, request: SearchRequest,
        defaultEvaluator: (SearchSpace) -> String?,
        normalizeEvaluator: (String) -> String, write: Bool
    ) throws -> OpenedSearch? {
        var request = request
        request.evaluator = request.evaluator.map(normalizeEvaluator)
        try validate(request)
        let existing = try store.searches()
        // A space given without --name names the search after itself: found (resume) or new.
        let choice = SearchChoice.choose(request.name ?? request.space?.name, among: existing, nameOf: \.name)
        switch choice {
        case .found(let record):
            return try resume(store: store, record: record, request: request, write: write)
        case .noSuchName(let name, let available):
            guard let space = request.space else {
                throw SearchError.mismatch(choice.refusal(path: store.path, severalAdvice: "", unknownAdvice: "give --space SPEC to create it") ?? "")
            }
            // A spec that names no stored search, given without --name, is far more often the
            // wrong file than a wish for a second search: adding one must be explicit.
            if request.name == nil, !existing.isEmpty {
                let held = available.map { "'\($0)'" }.joined(separator: ", ")
                let sameSpace = existing.filter { $0.spaceName == space.name }.map(\.name)
                if !sameSpace.isEmpty {
                    let names = sameSpace.map { "--name \($0)" }.joined(separator: " or ")
                    throw SearchError.mismatch("\(store.path): holds search \(held), made from space '\(space.name)' under another name; to resume it give \(names); to add a second search give --name \(name)")
                }
                throw SearchError.mismatch("\(store.path): holds search \(held), made from another spec than '\(name)'; to add '\(name)' as a second search in this file give --name \(name)")
            }
            return try create(store: store, name: name, space: space, request: request, defaultEvaluator: defaultEvaluator, write: write)
        case .noSearchYet:
            throw SearchError.mismatch("\(store.path): holds no search yet; give --space SPEC to create one")
        case .several:
            throw SearchError.mismatch(choice.refusal(path: store.path, severalAdvice: "choose one with --name") ?? "")
        }
    }

    /// The space is stored twice at creation: as `space_json` and as one `options` row per option.
    /// A difference means one of them was edited by hand; nothing computed from it can be trusted.
    static func checkStoredOptions(_ rows: [(layer: Int, index: Int, label: String, fieldsJSON: String)], space: SearchSpace) throws(SearchError) {
        let expected = space.layers.enumerated().flatMap { layer, searchLayer in
            searchLayer.options.enumerated().map { (layer + 1, $0.offset, $0.element.label, JSONText.encode($0.element.kind)) }
        }
        guard rows.count == expected.count else {
            throw SearchError.mismatch("the stored space has \(expected.count) options but \(rows.count) option rows; the database was edited by hand")
        }
        for (row, option) in zip(rows, expected) where row.layer != option.0 || row.index != option.1 || row.label != option.2
            || JSONText.decode(LayerOption.Kind.self, from: row.fieldsJSON) != JSONText.decode(LayerOption.Kind.self, from: option.3) {
            throw SearchError.mismatch("layer \(row.layer) option '\(row.label)' differs between the stored space and its option rows; the database was edited by hand")
        }
    }

    private static func validate(_ request: SearchRequest) throws(SearchError) {
        func check(_ value: Int?, _ name: String, _ range: ClosedRange<Int>) throws(SearchError) {
            if let value, !range.contains(value) {
                // An upper bound no one means to reach (the budget's) is not worth a mention.
                let allowed = range.upperBound >= Int(Int32.max)
                    ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
                throw SearchError.badSetting(name: name, message: "must be \(allowed), got \(value)")
            }
        }
        let ranges = SearchSettings.allowedRanges
        for (name, value) in [("buckets", request.buckets), ("per-bucket", request.perBucket), ("parents", request.parents),
                              ("children", request.children), ("population", request.population), ("sample-size", request.sampleSize)] {
            try check(value, name, ranges[name] ?? Int.min...Int.max)
        }
        try check(request.budget, "budget", 1...Int(Int32.max))
        if let limit = request.timeLimitSeconds, !(limit > 0) || !limit.isFinite {
            throw SearchError.badSetting(name: "time-limit", message: "must be positive, got \(limit)")
        }
        if let name = request.name, name.isEmpty || name.count > 200 {
            throw SearchError.badSetting(name: "name", message: "must be 1 to 200 characters")
        }
    }

    private static func create(
        store: Store, name: String, space: SearchSpace, request: SearchRequest, defaultEvaluator: (SearchSpace) -> String?,
        write: Bool
    ) throws -> OpenedSearch? {
        guard let evaluator = request.evaluator ?? defaultEvaluator(space) else {
            throw SearchError.badSetting(name: "evaluator", message: "a \(space.family.rawValue) space needs an evaluator: synthetic, table:PATH, or command:CMD")
        }
        let settings = SearchSettings(evaluator: evaluator, strategy: request.strategy ?? .layernas).overridden(by: request)
        if settings.sampleSize > settings.population {
            throw SearchError.badSetting(name: "sample-size", message: "must not exceed the population (\(settings.population)), got \(settings.sampleSize)")
        }
        if settings.strategy == .exhaustive, space.architectureCount > BaselinePlanner.enumerationLimit, !request.force {
            throw SearchError.badSetting(name: "strategy", message: "exhaustive search of \(space.architectureCount) architectures is over the limit of \(BaselinePlanner.enumerationLimit); add --force to run it anyway")
        }
        guard write else { return nil }
        let map = BucketMap(space: space, buckets: settings.buckets)
        let record = try store.createSearch(
            name: name, strategy: settings.strategy, space: space, settingsJSON: JSONText.encode(settings),
            evaluator: evaluator, seed: settings.seed, budget: request.budget, timeLimitSeconds: request.timeLimitSeconds,
            layerBuckets: map.spans.map { (min: $0.min, max: $0.max, count: map.count) })
        return OpenedSearch(record: record, space: space, settings: settings, budget: request.budget,
                            timeLimitSeconds: request.timeLimitSeconds, created: true)
    }

    private static func resume(store: Store, record: SearchRecord, request: SearchRequest, write: Bool) throws -> OpenedSearch? {
        let definition = try SearchDefinition(record: record, path: store.path)
        let storedSpace = definition.space
        let settings = definition.settings
        if let given = request.space, let difference = SpaceDifference.first(stored: storedSpace, given: given) {
            throw SearchError.mismatch("search '\(record.name)' was created with a different space: \(difference); use --name to start a new search")
        }
        let requested = settings.overridden(by: request)
        for (stored, given) in zip(settings.fields, requested.fields) where stored.value != given.value {
            throw SearchError.mismatch("search '\(record.name)' was created with --\(stored.name) \(stored.value), not \(given.value); settings cannot change on resume (budgets can); use --name to start a new search")
        }
        do {
            try checkStoredOptions(try store.storedOptions(searchID: record.id), space: storedSpace)
            try SearchState.checkCosts(of: try store.candidates(searchID: record.id), space: storedSpace)
        } catch let error as SearchError {
            throw SearchError.mismatch("\(store.path): search '\(record.name)': \(error)")
        }
        let budget = request.budget ?? record.budget
        let timeLimit = request.timeLimitSeconds ?? record.timeLimitSeconds
        guard write else { return nil }
        if budget != record.budget || timeLimit != record.timeLimitSeconds {
            try store.updateLimits(searchID: record.id, budget: budget, timeLimitSeconds: timeLimit)
        }
        return OpenedSearch(record: record, space: storedSpace, settings: settings, budget: budget,
                            timeLimitSeconds: timeLimit, created: false)
    }
}
