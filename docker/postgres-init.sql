-- The registry keeps its schemas in its own database next to Thrustline's.
create database registry owner thrustline;
