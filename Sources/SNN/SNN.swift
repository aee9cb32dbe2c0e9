// The SNN module; its files arrive with their issues.
