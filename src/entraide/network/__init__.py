"""The network's services to its members: supervision and intervision requests, mentoring
(parrainage), the network page (issue 13, field document 000)."""
