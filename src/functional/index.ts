// `sn.F`: differentiable functional ops on tensors (PyTorch's torch.nn.functional).
export {};
