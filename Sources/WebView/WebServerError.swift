/// Why the view's server could not start or a request was refused.
public enum WebServerError: Error, Equatable, CustomStringConvertible {
    /// civetweb was built without WebSocket support.
    case noWebSocket
    /// The address and port could not be bound (in use, not an address of this machine, no permission).
    case cannotListen(address: String, port: Int)
    /// A WebSocket client could not connect (civetweb's reason).
    case cannotConnect(url: String, reason: String)

    public var description: String {
        switch self {
        case .noWebSocket: "the civetweb library on this machine was built without WebSocket support"
        case .cannotListen(let address, let port):
            "cannot listen on \(address):\(port) (in use, not an address of this machine, or a port below 1024)"
        case .cannotConnect(let url, let reason): "cannot connect to \(url): \(reason)"
        }
    }
}
