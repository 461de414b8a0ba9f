//! NMEA re-broadcast per partner (in progress).
