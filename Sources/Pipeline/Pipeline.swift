// The Pipeline module; its files arrive with their issues.
