"""Install tasks: small steps with progress text (context.py: what each gets; sequence.py: the
declared order, weights and programs; one module per concern for the task functions)."""
