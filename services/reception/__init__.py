"""Reception (接待登记): registering walk-ins and repeat visits."""
