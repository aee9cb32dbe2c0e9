// The DVSCamera module; its files arrive with their issues.
