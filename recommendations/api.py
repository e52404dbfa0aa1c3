"""The public, in-process interface of recommendations: keyword-only functions returning DTOs.

Other contexts and the composition layer call only this module (and read
``dtos``/``events``). After a split it is the one file that becomes an HTTP
client."""
