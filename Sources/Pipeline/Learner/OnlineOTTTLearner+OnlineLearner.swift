import Training

/// The engine's online OTTT learner is what the pipeline steps.
extension OnlineOTTTLearner: OnlineLearner {}

/// The learner's name before it moved to Training, for callers not yet moved (the benchmarks).
@available(*, deprecated, renamed: "OnlineOTTTLearner")
public typealias NetworkLearner = OnlineOTTTLearner
