"""Pure posting rules: value entry -> G/L lines, the checks, the batch job's summing."""
