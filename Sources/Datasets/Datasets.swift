// The Datasets module; its files arrive with their issues.
