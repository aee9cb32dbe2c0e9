// The EventBinning module; its files arrive with their issues.
