import Training

/// The engine's online OTTT learner is what the pipeline steps.
extension OnlineOTTTLearner: OnlineLearner {}
