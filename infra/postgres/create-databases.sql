-- One database per service that keeps tables (no service reads another's). Run once, when the volume is new.
CREATE DATABASE booking;
CREATE DATABASE catalog;
CREATE DATABASE payment;
CREATE DATABASE ticketing;
CREATE DATABASE gate;
CREATE DATABASE identity;
CREATE DATABASE query;
CREATE DATABASE notification;
