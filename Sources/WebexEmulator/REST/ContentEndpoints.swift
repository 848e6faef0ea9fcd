import Foundation
import Hummingbird

/// `GET`/`HEAD /v1/contents/{contentId}` (reference §3.2), including the anti-malware scan answers.
extension EmulatorStore {
    func download(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        guard let uuid = HydraID.uuid(from: id, as: .content), var content = contents[uuid],
            isMember(viewer.uuid, content.roomUUID)
        else { throw APIError.notFound() }
        switch content.scanState {
        case .pending:
            // Emulator choice: every GET or HEAD while pending counts as one attempt; after `pendingCount`
            // attempts the file is clean.
            content.pendingRemaining -= 1
            if content.pendingRemaining <= 0 {
                content.scanState = .clean
                content.pendingRemaining = 0
            }
            contents[uuid] = content
            if content.scanState == .clean, let message = messages[content.messageUUID] { publishFilesSafe(message) }
            throw APIError(
                EmulatorResponder.status(423), "The file is being scanned for malware. Try again later.",
                headers: [("Retry-After", "1")])
        case .infected:
            throw APIError(.gone, "The file was found to be infected and cannot be downloaded.")
        case .unscannable:
            if req.query["allow"]?.split(separator: ",").contains("unscannable") != true {
                throw APIError(
                    EmulatorResponder.status(428),
                    "The file cannot be scanned for malware. Add allow=unscannable to download it anyway.")
            }
        case .clean:
            break
        }
        let escaped = content.filename.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return .bytes(
            status: .ok,
            headers: [
                ("Content-Type", content.contentType),
                ("Content-Disposition", "attachment; filename=\"\(escaped)\""),
            ],
            body: content.data)
    }
}
