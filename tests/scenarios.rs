//! The brief's scenarios and our own: the clauses and warnings a practitioner would expect.
