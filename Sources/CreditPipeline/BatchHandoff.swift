import CreditAdapters
import CreditCore
import Foundation

/// Hands checked batches from the thread that reads and checks a file to the thread that
/// archives it, and the archived batches back for reuse, so that the two cores work at once
/// without allocating a batch per batch.
///
/// Bounded: the reader is at most `capacity` batches ahead, so memory stays flat whatever the
/// file's size. Either side may end the exchange: the reader with ``Item/end`` or
/// ``Item/failure(_:)``, the archiver by ``cancel()`` (an error, a signal).
final class BatchHandoff: @unchecked Sendable {
    enum Item {
        case batch(CheckedBatch)
        case end
        /// The file could not be read on (malformed, changed, unreadable).
        case failure(AdapterError)
    }

    private let condition = NSCondition()
    private var ready: [Item] = []
    private var spare: [CheckedBatch] = []
    private var cancelled = false
    private var readerFinished = false
    private var prints: ProvidedPrints?
    private let capacity: Int

    init(capacity: Int = 3) {
        self.capacity = capacity
    }

    /// Reader: a batch to fill, reused when the archiver has returned one.
    func batchToFill(fieldCount: Int) -> CheckedBatch {
        condition.lock()
        defer { condition.unlock() }
        return spare.popLast() ?? CheckedBatch(fieldCount: fieldCount)
    }

    /// Reader: passes an item on, waiting while `capacity` items wait. False when the archiver
    /// has cancelled: the reader stops.
    @discardableResult
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        ready.append(item)
        condition.broadcast()
        return true
    }

    /// Reader: whether the archiver has cancelled (asked before a long step, such as a hash).
    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Reader: says it has stopped touching the file.
    func readerDidFinish() {
        condition.lock()
        readerFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Archiver: the next item, waiting for it.
    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty { condition.wait() }
        let item = ready.removeFirst()
        condition.broadcast()
        return item
    }

    /// Archiver: returns an archived batch for the reader to fill again.
    func recycle(_ batch: consuming CheckedBatch) {
        condition.lock()
        spare.append(batch)
        condition.unlock()
    }

    /// Archiver: the prints of the file's feed (nil: none loaded), once it has begun the file.
    /// The reader checks no record before: which records need no checks depends on them.
    func providePrints(_ set: FeedPrints?) {
        condition.lock()
        prints = ProvidedPrints(set: set)
        condition.broadcast()
        condition.unlock()
    }

    /// Reader: the prints the archiver provided, waiting for them; nil when it cancelled.
    func waitForPrints() -> ProvidedPrints? {
        condition.lock()
        defer { condition.unlock() }
        while prints == nil, !cancelled { condition.wait() }
        return cancelled ? nil : prints
    }

    /// Archiver: ends the exchange and waits until the reader has let go of the file.
    func cancelAndWaitForReader() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        while !readerFinished { condition.wait() }
        condition.unlock()
    }
}

/// A value handed to one other thread that alone uses it from then on (the file's source).
final class HandedOver<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// What the archiver provides before a file's records are checked (``BatchHandoff/providePrints(_:)``).
struct ProvidedPrints {
    let set: FeedPrints?
}
