import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO-8601 UTC with milliseconds and `Z`, e.g. `2015-10-18T14:26:16.203Z` (reference §1.7).
enum WebexDate {
    /// The current time truncated to whole milliseconds, so a stored date equals what is printed.
    static func now() -> Date {
        truncated(Date())
    }

    static func truncated(_ date: Date) -> Date {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        return Date(timeIntervalSince1970: ms / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func format(_ date: Date) -> String {
        let totalMs = milliseconds(date)
        var seconds = time_t(totalMs >= 0 ? totalMs / 1000 : (totalMs - 999) / 1000)
        let ms = Int(totalMs - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ w: Int) -> String { String(v).leftPadded(w) }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(String(ms).leftPadded(3))Z"
    }

    /// Parses ISO-8601 with or without fractional seconds, with `Z` or a numeric offset.
    static func parse(_ text: String) -> Date? {
        // A `+hh:mm` offset sent unencoded in a query arrives as a space; put the plus back.
        let s = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "+")
        guard !s.isEmpty else { return nil }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withFraction.date(from: s) { return d }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: s)
    }
}
