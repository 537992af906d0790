/// Authors already known as good (they have an approved comment): what
/// `skip_for_known_authors` rules skip. `run` keeps them in its queue directory; other
/// commands are given them (`QueueStore.readKnownAuthors`).
public struct KnownAuthors: Sendable {
    let keys: Set<RecordKey>

    init(keys: Set<RecordKey>) { self.keys = keys }

    public static let none = KnownAuthors(keys: [])
    public var count: Int { keys.count }
}
