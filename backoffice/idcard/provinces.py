"""Old 63-province GSO codes used in ID numbers, and where each went in the 2025 merger."""

# old GSO code -> (name printed on older cards, current province code after 1 Jul 2025)
OLD_PROVINCES: dict[int, tuple[str, int]] = {
    1: ("Hà Nội", 1), 2: ("Hà Giang", 8), 4: ("Cao Bằng", 4), 6: ("Bắc Kạn", 19),
    8: ("Tuyên Quang", 8), 10: ("Lào Cai", 15), 11: ("Điện Biên", 11), 12: ("Lai Châu", 12),
    14: ("Sơn La", 14), 15: ("Yên Bái", 15), 17: ("Hòa Bình", 25), 19: ("Thái Nguyên", 19),
    20: ("Lạng Sơn", 20), 22: ("Quảng Ninh", 22), 24: ("Bắc Giang", 24), 25: ("Phú Thọ", 25),
    26: ("Vĩnh Phúc", 25), 27: ("Bắc Ninh", 24), 30: ("Hải Dương", 31), 31: ("Hải Phòng", 31),
    33: ("Hưng Yên", 33), 34: ("Thái Bình", 33), 35: ("Hà Nam", 37), 36: ("Nam Định", 37),
    37: ("Ninh Bình", 37), 38: ("Thanh Hóa", 38), 40: ("Nghệ An", 40), 42: ("Hà Tĩnh", 42),
    44: ("Quảng Bình", 44), 45: ("Quảng Trị", 44), 46: ("Thừa Thiên Huế", 46), 48: ("Đà Nẵng", 48),
    49: ("Quảng Nam", 48), 51: ("Quảng Ngãi", 51), 52: ("Bình Định", 52), 54: ("Phú Yên", 66),
    56: ("Khánh Hòa", 56), 58: ("Ninh Thuận", 56), 60: ("Bình Thuận", 68), 62: ("Kon Tum", 51),
    64: ("Gia Lai", 52), 66: ("Đắk Lắk", 66), 67: ("Đắk Nông", 68), 68: ("Lâm Đồng", 68),
    70: ("Bình Phước", 75), 72: ("Tây Ninh", 80), 74: ("Bình Dương", 79), 75: ("Đồng Nai", 75),
    77: ("Bà Rịa - Vũng Tàu", 79), 79: ("Hồ Chí Minh", 79), 80: ("Long An", 80), 82: ("Tiền Giang", 82),
    83: ("Bến Tre", 86), 84: ("Trà Vinh", 86), 86: ("Vĩnh Long", 86), 87: ("Đồng Tháp", 82),
    89: ("An Giang", 91), 91: ("Kiên Giang", 91), 92: ("Cần Thơ", 92), 93: ("Hậu Giang", 92),
    94: ("Sóc Trăng", 92), 95: ("Bạc Liêu", 96), 96: ("Cà Mau", 96),
}

# A few real pre-2025 districts per old province, for synthetic 3-level addresses.
OLD_DISTRICTS: dict[int, tuple[str, ...]] = {
    1: ("Quận Thanh Xuân", "Quận Cầu Giấy", "Huyện Gia Lâm", "Huyện Đông Anh", "Quận Hoàng Mai"),
    79: ("Quận Bình Thạnh", "Quận Gò Vấp", "Huyện Củ Chi", "Thành phố Thủ Đức", "Quận Tân Bình"),
    31: ("Quận Lê Chân", "Huyện Thủy Nguyên", "Quận Ngô Quyền"),
    48: ("Quận Hải Châu", "Quận Sơn Trà", "Huyện Hòa Vang"),
    38: ("Huyện Quảng Xương", "Thành phố Thanh Hóa", "Huyện Nông Cống"),
    40: ("Huyện Diễn Châu", "Thành phố Vinh", "Huyện Nghi Lộc"),
    36: ("Huyện Hải Hậu", "Huyện Giao Thủy", "Thành phố Nam Định"),
    34: ("Huyện Vũ Thư", "Huyện Kiến Xương", "Huyện Tiền Hải"),
    46: ("Huyện Phú Vang", "Thị xã Hương Thủy"),
    92: ("Quận Ninh Kiều", "Huyện Phong Điền"),
    66: ("Thành phố Buôn Ma Thuột", "Huyện Krông Pắc"),
    89: ("Thành phố Long Xuyên", "Huyện Chợ Mới"),
}
