"""Issue 11 replayed over HTTP, on SQLite and on PostgreSQL (TEST_DATABASE_URL): each finding has
tests that fail if it comes back.

 1. a registration without an account confirmed itself ........ test_registrations.py
 2. signing up with another's address took their registrations . test_accounts.py
 3. any account could harvest the speaker directory ............ test_speakers.py
 4. sign-in: no throttle, sessions after a reset, sign-up says . test_accounts.py (timing: bench/signin_timing.py)
 5. no security headers; links http:// behind a TLS proxy ...... test_hardening.py
 6. formulas in CSV and XLSX exports ........................... test_hardening.py, test_activity_ux.py
 7. a Word bomb grew a worker to 2.2 GB ........................ test_hardening.py (bench/docx_bomb.py)
 8. 500s on bad input (dates, ids, NUL, next=) ................. test_bad_input.py
 9. the webcast link and passcode were public .................. test_registrations.py
10. feeds carried the contact's address; photos at sequential ids test_speakers.py
11. erasure left copies in the sent mail ....................... test_erasure.py, test_activity_ux.py
"""
