import SNN
import Tensors

/// OTTT_O: as OTTT_A, but an optimizer step after every time step, so the weights change within a sequence.
public struct OTTTO: LearningRule {
    public var gamma: Float
    private var workspace = StepWorkspace()

    public init(gamma: Float = 0.001) { self.gamma = gamma }

    public mutating func train(_ network: Network, frames: [Tensor], labels: [Int], optimizer: any Optimizer,
                               observe: (Int, Tensor) -> Void) -> BatchResult {
        workspace.trainOnline(network, frames: frames, labels: labels, gamma: gamma, observe: observe) {
            optimizer.step(network)                      // after every step: the weights change within the sequence
        }
    }
}