"""The CSC operator desk: the verification queue and review card
(``review``), roles and invitations (``roles``), the audit trail
(``trail``), assisted registration (``assist``) and practice (``practice``).
Each module registers its commands in ``bot.staff_commands.STAFF_COMMANDS``;
``bot.desk.commands`` imports them all."""
