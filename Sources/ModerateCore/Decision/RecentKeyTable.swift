/// A table of values by 64-bit key that remembers the keys met most recently, in memory fixed
/// ahead: what the batch signals keep per body and per author (`BatchSignalTracker`).
///
/// Two generations take turns. New keys go into the current one; when it is full, it becomes
/// the previous one and the one before is dropped. A key met again in the previous generation
/// moves into the current one. So a key is remembered until at least `generationSize` other
/// distinct keys have been met since it was last met (and at most twice that): exact within
/// that window, whatever the input's length. Both tables are reserved at their full size up
/// front, so they never grow, and the memory is the same for 100,000 comments as for 10 million.
struct RecentKeyTable<Value> {
    let generationSize: Int
    private var current: [UInt64: Value]
    private var previous: [UInt64: Value] = [:]

    init(generationSize: Int) {
        self.generationSize = generationSize
        current = Dictionary(minimumCapacity: generationSize)
    }

    /// The value of `key`, or nil when it was never met or has been forgotten.
    subscript(key: UInt64) -> Value? {
        current[key] ?? previous[key]
    }

    /// Changes the value of `key` in place (`body` is told whether the key is new, with
    /// `initial` as its value), moving the key into the current generation.
    mutating func update<Result>(_ key: UInt64, initial: @autoclosure () -> Value,
                                 _ body: (_ value: inout Value, _ isNew: Bool) -> Result) -> Result {
        var isNew = false
        if current[key] == nil {
            let earlier = previous.removeValue(forKey: key)
            if current.count >= generationSize {
                previous = current
                current = Dictionary(minimumCapacity: generationSize)
            }
            isNew = earlier == nil
            current[key] = earlier ?? initial()
        }
        return body(&current[key]!, isNew)
    }

    /// Keys remembered now (in both generations).
    var count: Int { current.count + previous.count }
}
