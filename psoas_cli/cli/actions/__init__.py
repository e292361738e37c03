"""What each command does, loaded by the first statement of its body: the
command modules above hold only Click declarations, so that ``--help`` and
TAB completion load none of this."""
