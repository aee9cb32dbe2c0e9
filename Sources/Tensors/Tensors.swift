// The Tensors module; its files arrive with their issues.
