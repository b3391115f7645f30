"""Field inspections: item list, schemes, records, findings, rectification and re-inspection."""
