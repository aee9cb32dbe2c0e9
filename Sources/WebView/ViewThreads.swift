internal import CCivetwebShim

/// The view's own threads (the sender, one per browser) run at a lower scheduling priority than the learner: on a
/// loaded machine the view then takes the cores the learner leaves, not the learner's time (`bench latency --web`
/// showed the learner's wall p99 rising with ten clients on two busy cores while its CPU time did not).
enum ViewThreads {
    /// The nice value of the view's threads (0 is the learner's default; 19 the lowest priority).
    static let nice: Int32 = 10

    /// Lowers the calling thread's priority (Linux: setpriority on a thread id affects that thread only). A
    /// failure leaves the priority as it was: the view still works.
    static func lowerPriority() {
        _ = ottt_web_lower_priority(nice)
    }
}
