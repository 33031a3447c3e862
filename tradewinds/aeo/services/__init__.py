"""AEO use cases, one function each, split by who acts: `portal` (trader), `conversation`,
`officer`, `decision`, `lifecycle`, `network` (recognition, outreach), `setup`, `reminders`."""
