"""The penalty procedure: filing to closure as a state machine held in data."""
