import Foundation

/// A Locus `sequence` (or `baseSequence`): explicit entries plus an optional range standing for every
/// value in `rangeStart...rangeEnd` (reference §3.5).
public struct LocusSequence: Sendable, Equatable {
    public var entries: [Int]
    public var rangeStart: Int
    public var rangeEnd: Int

    public init(entries: [Int], rangeStart: Int = 0, rangeEnd: Int = 0) {
        self.entries = entries; self.rangeStart = rangeStart; self.rangeEnd = rangeEnd
    }

    /// Nil unless the object has both `rangeStart` and `rangeEnd` (a DTO without them is not a locus).
    public init?(_ json: JSONValue?) {
        guard let json, let start = json["rangeStart"]?.intValue, let end = json["rangeEnd"]?.intValue else { return nil }
        entries = (json["entries"]?.arrayValue ?? []).compactMap(\.intValue)
        rangeStart = start; rangeEnd = end
    }

    public var isEmpty: Bool { entries.isEmpty && rangeStart == 0 && rangeEnd == 0 }
    public var last: Int? { entries.last }

    public enum Order: Sendable, Equatable { case less, equal, greater, desync }

    /// How `self` (the working copy) compares with `other` (incoming), by the Locus rules in order:
    /// overlap, unequal ranges, unique entries, out of sync.
    public func compare(to other: LocusSequence) -> Order {
        let local = Meta(self), delta = Meta(other)
        let localUnique = Self.outOfRange(Self.difference(entries, other.entries), other.rangeStart, other.rangeEnd)
        let deltaUnique = Self.outOfRange(Self.difference(other.entries, entries), rangeStart, rangeEnd)
        // 1. overlap
        if local.min > delta.max { return .greater }
        if local.max < delta.min { return .less }
        // 2. unequal ranges, when neither has unique entries
        if localUnique.isEmpty && deltaUnique.isEmpty {
            let l = local.end - local.min, d = delta.end - delta.min
            return l > d ? .greater : (l < d ? .less : .equal)
        }
        // 3. unique entries on one side only
        if !localUnique.isEmpty && deltaUnique.isEmpty { return .greater }
        if localUnique.isEmpty && !deltaUnique.isEmpty { return .less }
        // 4. out of sync
        let neitherHasRange = local.start == 0 && local.end == 0 && delta.start == 0 && delta.end == 0
        let localOverlap = localUnique.contains { delta.min < $0 && $0 < delta.max }
        let deltaOverlap = deltaUnique.contains { local.min < $0 && $0 < local.max }
        if neitherHasRange || localOverlap || deltaOverlap { return .desync }
        return (localUnique.first ?? 0) > (deltaUnique.first ?? 0) ? .greater : .less
    }

    private struct Meta {
        var start, end, min, max: Int
        init(_ s: LocusSequence) {
            start = s.rangeStart; end = s.rangeEnd
            let first = s.entries.first ?? 0, last = s.entries.last ?? 0
            min = start != 0 ? start : first
            max = last != 0 ? last : end
        }
    }

    private static func difference(_ a: [Int], _ b: [Int]) -> [Int] {
        let other = Set(b)
        return a.filter { !other.contains($0) }
    }

    private static func outOfRange(_ list: [Int], _ start: Int, _ end: Int) -> [Int] {
        list.filter { $0 < start || $0 > end }.sorted()
    }
}
