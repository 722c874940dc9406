"""Ideas submitted with the ideeformulier. The Idea model arrives with the ideeformulier issue."""
