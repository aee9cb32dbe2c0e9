// The DVSSimulator module; its files arrive with their issues.
